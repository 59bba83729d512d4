import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/core/config';
import { SETTINGS_MAP } from '../../../src/extension/settingsMap';

/** The editor's settings say what the engine does when they are left alone: each default equals the engine's. */
describe('editor settings defaults = the engine defaults', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
  const props: Record<string, { default?: unknown }> = pkg.contributes.configuration.properties;
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-settings-'));
  const engine = loadConfig(ws, {}, {}) as unknown as Record<string, Record<string, unknown> | unknown>;

  it('every mapped setting is contributed, and every contributed engine setting is mapped', () => {
    for (const [key] of SETTINGS_MAP) assert.ok(props[`driftcatcher.${key}`], `driftcatcher.${key} is not in package.json`);
    const mapped = new Set(SETTINGS_MAP.map(([k]) => `driftcatcher.${k}`));
    for (const key of Object.keys(props)) assert.ok(mapped.has(key), `${key} is contributed but never sent to the engine`);
  });

  it('defaults match (null/empty setting = the engine has none of its own)', () => {
    for (const [key, [section, field]] of SETTINGS_MAP) {
      const def = props[`driftcatcher.${key}`].default;
      const value = field === undefined ? engine[section] : (engine[section] as Record<string, unknown>)[field];
      if (def === null || def === '') assert.ok(value === undefined || value === '', `driftcatcher.${key}: setting empty, engine ${JSON.stringify(value)}`);
      else assert.deepEqual(def, value, `driftcatcher.${key}: setting ${JSON.stringify(def)}, engine ${JSON.stringify(value)}`);
    }
  });

  it('the gate has no absolute floor unless one is configured', () => {
    for (const m of ['accuracy', 'precision', 'recall', 'f1']) assert.equal(props[`driftcatcher.validation.${m}`].default, null);
  });
});

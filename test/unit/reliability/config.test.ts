import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_FILE, loadConfig } from '../../../src/core/config';
import { runCli } from '../../../src/core/cli/main';

/** driftcatcher.config.json (and the overrides on top) is validated: every bad value is one error naming its key. */

function workspaceWith(content: string): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-config-'));
  fs.writeFileSync(path.join(ws, CONFIG_FILE), content);
  return ws;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the configuration to be refused');
}

describe('configuration is validated', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an array', '[1,2]', /driftcatcher\.config\.json must hold one JSON object .*not an array \(\[1,2\]\)/],
    ['null', 'null', /must hold one JSON object .*not null/],
    ['a string', '"drift"', /not a string/],
    ['severe below moderate', '{"drift": {"moderate": 0.3, "severe": 0.2}}', /drift\.severe: must be greater than drift\.moderate \(0\.3\), got 0\.2/],
    ['severe equal to the default moderate', '{"drift": {"severe": 0.1}}', /drift\.severe: must be greater than drift\.moderate \(0\.1\)/],
    ['a maintenance window that is no window', '{"agent": {"maintenanceWindow": "banana"}}', /agent\.maintenanceWindow: must be "HH:MM-HH:MM"/],
    ['a maintenance window past 24:00', '{"agent": {"maintenanceWindow": "23:00-25:00"}}', /agent\.maintenanceWindow/],
    ['a typo at the top', '{"drfit": {"moderate": 0.2}}', /unknown key "drfit" \(known there: .*drift/],
    ['a typo inside a section', '{"drift": {"sever": 0.3}}', /unknown key "drift\.sever" \(known there: moderate, severe, pValue[,)]/],
    ['a section that is null', '{"drift": null}', /drift: .*expected object/],
    ['a number that is a string', '{"training": {"trees": "100"}}', /training\.trees: .*expected number/],
    ['zero trees', '{"training": {"trees": 0}}', /training\.trees/],
    ['an LLM endpoint that is no URL', '{"llm": {"baseUrl": "openrouter"}}', /llm\.baseUrl: must be an http\(s\) URL/],
    ['an LLM endpoint on another scheme', '{"llm": {"baseUrl": "file:///etc/passwd"}}', /llm\.baseUrl: must be an http\(s\) URL/],
    ['a p-value above 1', '{"drift": {"pValue": 5}}', /drift\.pValue/],
    ['a trusted database host that is a URL', '{"sources": {"trustedHosts": ["http://db.example.org"]}}', /sources\.trustedHosts\.0: must be "host" or "host:port"/],
  ];
  for (const [name, content, message] of cases) {
    it(`${name} is refused, naming the key and the file`, () => {
      const msg = errorOf(() => loadConfig(workspaceWith(content), {}, {}));
      assert.match(msg, /^invalid configuration: |^driftcatcher\.config\.json must/);
      assert.match(msg, message);
      assert.match(msg, /driftcatcher\.config\.json\)?$/);
    });
  }

  it('good values pass: a window across midnight, an empty window, a local endpoint, $schema', () => {
    const ws = workspaceWith(JSON.stringify({ $schema: './schema.json', agent: { maintenanceWindow: '22:00-02:30' }, llm: { baseUrl: 'http://127.0.0.1:11434/v1' }, drift: { moderate: 0.05, severe: 0.5 } }));
    const c = loadConfig(ws, {}, {});
    assert.equal(c.agent.maintenanceWindow, '22:00-02:30');
    assert.equal(c.drift.severe, 0.5);
    assert.equal(loadConfig(workspaceWith('{"agent": {"maintenanceWindow": ""}}'), {}, {}).agent.maintenanceWindow, '');
  });

  it('a bad value from the editor or the command line is blamed on it, not on the file', () => {
    const ws = workspaceWith('{"drift": {"moderate": 0.1}}');
    const msg = errorOf(() => loadConfig(ws, { drift: { severe: 0.05 } }, {}));
    assert.match(msg, /drift\.severe: must be greater than drift\.moderate \(0\.1\), got 0\.05 \(set in the editor settings or command-line options\)/);
    const envMsg = errorOf(() => loadConfig(ws, {}, { OPENAI_BASE_URL: 'nonsense' }));
    assert.match(envMsg, /llm\.baseUrl: must be an http\(s\) URL.*\(set in the environment\)/);
  });

  it('the CLI exits 2 with one line', async () => {
    const ws = workspaceWith('{"agent": {"maintenanceWindow": "banana"}}');
    let err = '';
    const code = await runCli(['models', '--workspace', ws], { stdout: () => undefined, stderr: (s) => void (err += s) });
    assert.equal(code, 2);
    assert.equal(err.trim().split('\n').length, 1);
    assert.match(err, /^error: invalid configuration: agent\.maintenanceWindow/);
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeJsonAtomicByLines } from '../../../src/core/util/atomicWrite';
import { loadProfile, saveProfile } from '../../../src/core/drift/profile';
import { profileCsv } from '../../../src/core/drift/baselineFile';
import { DATASETS } from '../../../src/core/data/datasetConfig';

/**
 * Large JSON documents (a wide table's profile: one feature per line) are written piece by piece, atomically, and
 * read back to exactly the value written.
 */
const WEATHER = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('large JSON written line by line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-json-lines-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'doc.json');

  const cases: [string, Record<string, unknown>, string][] = [
    ['the array last', { format: 'x', n: 2, features: [{ a: 1 }, { b: [1.5, -2, 1e-300] }] }, 'features'],
    ['the array first, other fields after', { features: [{ a: 'x' }], after: { features: [9] } }, 'features'],
    ['an empty array', { before: 1, features: [], after: null }, 'features'],
    // text that looks like the slot must not be mistaken for it: strings keep their newlines escaped
    ['a string holding the slot', { note: '\n  "features": []', features: [{ s: 'line\nbreak, "quote"' }] }, 'features'],
    ['the same name nested deeper', { inner: { features: [] }, features: [[1], [2], [3]] }, 'features'],
  ];
  for (const [what, value, key] of cases) {
    it(`reads back the same value: ${what}`, () => {
      writeJsonAtomicByLines(file, value, key);
      const text = fs.readFileSync(file, 'utf8');
      assert.deepEqual(JSON.parse(text), value);
      const elements = (value[key] as unknown[]).map((e) => JSON.stringify(e));
      const lines = text.split('\n').map((l) => l.trim().replace(/,$/, ''));
      for (const e of elements) assert.ok(lines.includes(e), `${e} is on a line of its own`);
      assert.ok(text.endsWith('}\n'));
    });
  }

  it('refuses a field that is not a top-level array, and a failed write leaves the old file and no temp file', () => {
    writeJsonAtomicByLines(file, { features: [1] }, 'features');
    assert.throws(() => writeJsonAtomicByLines(file, { features: 3 } as Record<string, unknown>, 'features'), /"features" is not an array/);
    // a row that cannot be written (a BigInt) fails half-way through the array
    const bad = { features: [{ ok: 1 }, { n: BigInt(1) }] };
    assert.throws(() => writeJsonAtomicByLines(file, bad, 'features'), /BigInt/);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { features: [1] });
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('a real profile (vega-datasets seattle-weather) saves one feature per line and loads back equal', async () => {
    const profile = await profileCsv(WEATHER, { dataset: DATASETS.Generic, label: 'weather' });
    const out = path.join(dir, 'profile.json');
    saveProfile(out, profile);
    assert.deepEqual(loadProfile(out), profile);
    const featureLines = fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('    {"name":'));
    assert.equal(featureLines.length, profile.features.length);
  });
});

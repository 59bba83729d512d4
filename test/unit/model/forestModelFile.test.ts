import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainForest, saveForest, loadForest, Forest, type ForestJson } from '../../../src/core/model/forest';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { generateFlows } from './forestFixtures';

function decodeInt32(s: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function encode(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

describe('forest: model files', () => {
  let dir: string;
  let json: ForestJson;
  let file: string;
  const d = generateFlows(400, 5, 10);
  const y = Int32Array.from(d.y, (c) => (c === 0 ? 0 : 1));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-forest-'));
    const f = await trainForest(d.X, y, 2, { nTrees: 4, threads: 1 });
    file = path.join(dir, 'model.json');
    saveForest(file, f);
    json = f.toJSON();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const tampered = (edit: (j: ForestJson) => void): unknown => {
    const j = JSON.parse(JSON.stringify(json)) as ForestJson;
    edit(j);
    return j;
  };
  const rejects = (v: unknown, re: RegExp): void => {
    assert.throws(() => Forest.fromJSON(v), (e: unknown) => e instanceof DriftCatcherError && re.test(e.message));
  };

  it('saves a versioned JSON file that loads back to the same predictions', () => {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(raw.format, 'driftcatcher-forest');
    assert.equal(raw.version, 2);
    assert.deepEqual(loadForest(file).predictProba(d.X), Forest.fromJSON(json).predictProba(d.X));
    assert.deepEqual(fs.readdirSync(dir), ['model.json']); // no temp file left behind
  });

  it('rejects a file that is not JSON, or missing', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"format": "driftcatcher-forest", ');
    assert.throws(() => loadForest(bad), (e: unknown) => e instanceof DriftCatcherError && /not JSON/.test(e.message) && e.message.includes(bad));
    assert.throws(() => loadForest(path.join(dir, 'nope.json')), (e: unknown) => e instanceof DriftCatcherError && e.code === 'NOT_FOUND');
  });

  it('rejects a wrong format or version', () => {
    rejects(tampered((j) => ((j as { format: string }).format = 'pickle')), /format/);
    rejects(tampered((j) => ((j as { version: number }).version = 3)), /version/);
    rejects(null, /invalid forest model/);
  });

  it('rejects arrays of the wrong size', () => {
    rejects(tampered((j) => (j.arrays.feature = encode(decodeInt32(j.arrays.feature).subarray(1)))), /feature holds/);
    rejects(tampered((j) => (j.nodes += 1)), /holds/);
    rejects(tampered((j) => (j.arrays.value = 'AAAA')), /value holds/);
    rejects(tampered((j) => (j.arrays.left = '@@@@')), /base64/);
  });

  it('rejects out-of-range child, leaf and feature indices', () => {
    const feature = decodeInt32(json.arrays.feature);
    assert.ok(feature[0] >= 0, 'root of tree 0 is a split');
    // a child pointing back at its parent would loop forever
    rejects(tampered((j) => {
      const left = decodeInt32(j.arrays.left);
      left[0] = 0;
      j.arrays.left = encode(left);
    }), /child index 0/);
    rejects(tampered((j) => {
      const right = decodeInt32(j.arrays.right);
      right[0] = 1_000_000;
      j.arrays.right = encode(right);
    }), /child index 1000000/);
    rejects(tampered((j) => {
      const f = decodeInt32(j.arrays.feature);
      f[0] = 10;
      j.arrays.feature = encode(f);
    }), /feature 10 out of range/);
    const leaf = Array.from(feature).indexOf(-1);
    rejects(tampered((j) => {
      const left = decodeInt32(j.arrays.left);
      left[leaf] = 99999;
      j.arrays.left = encode(left);
    }), /leaf index 99999/);
    rejects(tampered((j) => {
      const off = decodeInt32(j.arrays.nodeOffset);
      off[1] += 1;
      j.arrays.nodeOffset = encode(off);
    }), /./);
  });
});

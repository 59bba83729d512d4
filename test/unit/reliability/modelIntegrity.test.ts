import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';
import { writeFlows } from '../model/trainFixtures';

/** Each model file's sha256 is recorded at training and checked on load: an edited model is refused, by name. */

const sha256 = (f: string): string => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function cli(ws: string, args: string[]): Promise<CliResult> {
  return captureCli([...args, '--workspace', ws]);
}

/** changes one character of the longest string in a JSON file (a model's base64 leaf/threshold arrays) */
function tamperJson(file: string): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  let best: { holder: Record<string, unknown>; key: string; len: number } | undefined;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === 'string' && x.length > (best?.len ?? 0)) best = { holder: v as Record<string, unknown>, key: k, len: x.length };
        else walk(x);
      }
    }
  };
  walk(json);
  if (best) {
    const s = best.holder[best.key] as string;
    const i = Math.floor(s.length / 2);
    best.holder[best.key] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  } else {
    json.features?.reverse?.();
  }
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('model integrity: sha256 recorded at training, verified on load', function () {
  this.timeout(120_000);
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-integrity-'));
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  before(async () => {
    writeFlows(path.join(ws, 'base.csv'), { rows: 600, seed: 1 });
    writeFlows(path.join(ws, 'holdout.csv'), { rows: 300, seed: 2 });
    writeFlows(path.join(ws, 'current.csv'), { rows: 300, seed: 3 });
    const t = await cli(ws, ['train', '--base-data', path.join(ws, 'base.csv'), '--holdout', path.join(ws, 'holdout.csv'), '--trees', '5']);
    assert.equal(t.code, 0, t.err);
    const d = await cli(ws, ['deploy', '--version', 'v1']);
    assert.equal(d.code, 0, d.err);
  });

  it('meta.json records the sha256 of every file of the version', () => {
    const dir = path.join(ws, '.driftcatcher', 'models', 'v1');
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    assert.deepEqual(Object.keys(meta.files).sort(), ['baseline.csv', 'model.json', 'profile.json']);
    for (const [name, hash] of Object.entries(meta.files)) assert.equal(hash, sha256(path.join(dir, name)), name);
  });

  it('an untouched model predicts; an edited model.json is refused by predict and validate, naming the file', async () => {
    const ok = await cli(ws, ['predict', path.join(ws, 'current.csv'), '-o', path.join(ws, 'p1.csv')]);
    assert.equal(ok.code, 0, ok.err);
    const file = path.join(ws, '.driftcatcher', 'models', 'v1', 'model.json');
    const original = fs.readFileSync(file);
    tamperJson(file);
    try {
      const p = await cli(ws, ['predict', path.join(ws, 'current.csv'), '-o', path.join(ws, 'p2.csv')]);
      assert.equal(p.code, 2, p.out);
      assert.match(p.err, /^error: model\.json of model v1 was changed after training \(sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\).*model\.json\)$/m);
      assert.equal(fs.existsSync(path.join(ws, 'p2.csv')), false);
      const v = await cli(ws, ['validate', '--version', 'v1', '--holdout', path.join(ws, 'holdout.csv')]);
      assert.equal(v.code, 2);
      assert.match(v.err, /model\.json of model v1 was changed after training/);
    } finally {
      fs.writeFileSync(file, original);
    }
    assert.equal((await cli(ws, ['predict', path.join(ws, 'current.csv'), '-o', path.join(ws, 'p3.csv')])).code, 0, 'restoring the file restores the model');
  });

  it("an edited production profile.json is refused by drift checks against production", async () => {
    const file = path.join(ws, '.driftcatcher', 'models', 'v1', 'profile.json');
    const original = fs.readFileSync(file);
    const profile = JSON.parse(original.toString());
    profile.features[0].psi.expected = profile.features[0].psi.expected.map(() => 0.1);
    fs.writeFileSync(file, JSON.stringify(profile));
    try {
      const d = await cli(ws, ['drift', path.join(ws, 'current.csv')]);
      assert.equal(d.code, 2, d.out);
      assert.match(d.err, /profile\.json of model v1 was changed after training/);
    } finally {
      fs.writeFileSync(file, original);
    }
    assert.equal((await cli(ws, ['drift', path.join(ws, 'current.csv')])).code, 0);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Random } from '../../../src/core/util/random';
import { loadConfig } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';

/**
 * A tiny labelled stream: three features, ATTACK when `a` is above a threshold that depends on `b`. Batches 0 and 1
 * share one distribution (b near 0: threshold 0); from batch 2 on `a` and `b` shift into a region batch 0 barely
 * covers, where the threshold is 1.5 (covariate + concept drift without contradicting the old data), so the
 * batch-0 model fails there and a retrained one recovers.
 */
export const TINY_SHIFT_AT = 2;

export function writeTinyStream(dir: string, opts: { batches?: number; rows?: number } = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const n = opts.batches ?? 4;
  const rows = opts.rows ?? 1000;
  const files: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = new Random(100 + k);
    const shifted = k >= TINY_SHIFT_AT;
    const lines = ['a,b,c,Label'];
    for (let i = 0; i < rows; i++) {
      const a = r.normal(shifted ? 1.5 : 0, 1);
      const b = r.normal(shifted ? 3 : 0, 0.5);
      const c = r.normal(0, 1);
      const label = a > (b > 1.5 ? 1.5 : 0) ? 'ATTACK' : 'BENIGN';
      lines.push(`${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(4)},${label}`);
    }
    const f = path.join(dir, `batch_${k}.csv`);
    fs.writeFileSync(f, lines.join('\n') + '\n');
    files.push(f);
  }
  return files;
}

export function tempDir(prefix = 'dc-eval-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An engine context on an empty workspace, no LLM key (the agent uses the rule policy), one training thread. */
export function testContext(workspace: string): EngineContext {
  return { workspace, config: loadConfig(workspace, { training: { threads: 1 } }, {}) };
}

/** Few trees, one thread: the replay settings overrides for fast tests. */
export const FAST = { trees: 5, threads: 1 } as const;

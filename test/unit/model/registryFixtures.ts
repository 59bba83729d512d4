import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';
import type { ClassificationMetrics, ModelVersion, ValidationResult } from '../../../src/core/protocol';
import { commitVersion, createStagingDir, productionVersion, recordValidation } from '../../../src/core/model/registry';
import { saveForest, trainForest } from '../../../src/core/model/forest';
import { MetricsSchema } from '../../../src/core/model/schemas';

/**
 * Registry fixtures without the training pipeline: versions with a one-tree model on one feature and hand-made
 * validation results (recorded against the production of the moment, as validate does), and the holdout h.csv
 * they name, so deploy can re-score them.
 */

export function tempWorkspace(prefix = 'dc-registry-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function ctxFor(ws: string): EngineContext {
  return { workspace: ws, config: loadConfig(ws, {}, {}) };
}

export function fakeMetrics(accuracy: number): ClassificationMetrics {
  return MetricsSchema.parse({ accuracy, precision: accuracy, recall: accuracy, f1: accuracy, roc_auc: accuracy, confusion: { labels: ['a', 'b'] }, rows: 10 });
}

export async function fakeVersion(ws: string, validated?: { passed: boolean }): Promise<ModelVersion> {
  const dir = createStagingDir(ws);
  const x = Float64Array.from({ length: 40 }, (_, i) => i - 20);
  saveForest(path.join(dir, 'model.json'), await trainForest([x], Int32Array.from(x, (v) => (v > 0 ? 1 : 0)), 2, { nTrees: 1, seed: 1, threads: 1, inputs: [{ name: 'f1', kind: 'numeric' }] }));
  const holdout = path.join(ws, 'h.csv');
  if (!fs.existsSync(holdout)) fs.writeFileSync(holdout, 'f1,Label\n' + [-9, -4, -1, 2, 5, 8].map((v) => `${v},${v > 0 ? 'b' : 'a'}`).join('\n') + '\n');
  const meta = await commitVersion(ws, dir, {
    created_at: new Date().toISOString(),
    metrics: fakeMetrics(0.95),
    lineage: [{ path: 'base.csv', rows: 10, sha256: 'x' }],
    train_rows: 10,
    train_seconds: 0.1,
    features: ['f1'],
    label: 'Label',
    classes: ['a', 'b'],
    trees: 1,
  });
  if (validated) await recordValidation(ws, fakeValidation(meta.version, validated.passed, productionVersion(ws)));
  return meta;
}

/** A validation result; `against`: the production version it was compared with. */
export function fakeValidation(version: string, passed: boolean, against?: string): ValidationResult {
  const acc = passed ? 0.95 : 0.5;
  return {
    version,
    passed,
    checks: [{ name: 'accuracy', value: acc, threshold: 0.9, comparison: '>=', passed }],
    holdout: { path: 'h.csv', rows: 6 },
    candidate_metrics: fakeMetrics(acc),
    ...(against ? { production_metrics: { ...fakeMetrics(0.9), version: against } } : {}),
    validated_at: new Date().toISOString(),
  };
}

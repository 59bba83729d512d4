import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';
import type { ClassificationMetrics, ModelVersion, ValidationResult } from '../../../src/core/protocol';
import { commitVersion, createStagingDir, recordValidation } from '../../../src/core/model/registry';
import { MetricsSchema } from '../../../src/core/model/schemas';

/** Registry fixtures without training: versions with placeholder model files and hand-made validation results. */

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
  fs.writeFileSync(path.join(dir, 'model.json'), '{}\n');
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
  if (validated) await recordValidation(ws, fakeValidation(meta.version, validated.passed));
  return meta;
}

export function fakeValidation(version: string, passed: boolean): ValidationResult {
  const acc = passed ? 0.95 : 0.5;
  return {
    version,
    passed,
    checks: [{ name: 'accuracy', value: acc, threshold: 0.9, comparison: '>=', passed }],
    holdout: { path: 'h.csv', rows: 10 },
    candidate_metrics: fakeMetrics(acc),
    validated_at: new Date().toISOString(),
  };
}

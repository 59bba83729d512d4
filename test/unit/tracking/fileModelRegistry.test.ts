import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClassificationMetrics, ModelVersion, TrainResult } from '../../../src/core/protocol';
import { logTrainingRun, markProductionRun, REGISTERED_MODEL } from '../../../src/core/tracking/pipelineRuns';
import { FileModelRegistry } from '../../../src/core/tracking/fileModelRegistry';
import { FileStore } from '../../../src/core/tracking/fileStore';
import { parseFlatYaml } from '../../../src/core/tracking/yaml';
import { makeCtx, pyYamlLoad, tempDir } from './helpers';
import { MetricsSchema } from '../../../src/core/model/schemas';

/** MLflow's file-based model registry beside the runs (mlflow/store/model_registry/file_store.py layout). */
describe('tracking/file model registry (mlruns/models)', () => {
  const metrics: ClassificationMetrics = MetricsSchema.parse({ accuracy: 0.97, precision: 0.96, recall: 0.95, f1: 0.955, roc_auc: 0.99, confusion: { tn: 9, fp: 1, fn: 1, tp: 9, labels: ['BENIGN', 'ATTACK'] }, rows: 20 });

  async function train(ctx: ReturnType<typeof makeCtx>, version: string) {
    const model = path.join(ctx.workspace, `${version}-model.json`);
    fs.writeFileSync(model, `{"model":"${version}"}`);
    const result: TrainResult = { version, metrics, rows: 100, dropped_rows: 0, train_seconds: 1 };
    const meta = { version, trees: 10, label: 'Label', lineage: [{ path: 'data/base.csv', rows: 100, sha256: 'x' }] } as unknown as ModelVersion;
    return logTrainingRun(ctx, result, meta, { model });
  }

  it('every training registers a version whose source is the run\'s model artifact; deploys move alias production', async () => {
    const ws = tempDir();
    const ctx = makeCtx(ws);
    const r1 = await train(ctx, 'v1');
    const r2 = await train(ctx, 'v2');
    assert.equal(r1?.registry_version, '1');
    assert.equal(r2?.registry_version, '2');

    const modelDir = path.join(ws, 'mlruns', 'models', REGISTERED_MODEL);
    const v1Text = fs.readFileSync(path.join(modelDir, 'version-1', 'meta.yaml'), 'utf8');
    // PyYAML's reading (what MLflow uses); ours must read the same
    const v1 = pyYamlLoad(v1Text) as Record<string, unknown>;
    assert.deepEqual(parseFlatYaml(v1Text), v1);
    const run1 = new FileStore(path.join(ws, 'mlruns')).findRun(r1!.run_id)!;
    const expectedSource = pathToFileURL(path.join(run1.dir, 'artifacts', 'model')).href;
    // what MLflow's FileModelVersion.from_dictionary reads
    assert.equal(v1.name, REGISTERED_MODEL);
    assert.equal(v1.version, 1);
    assert.equal(v1.run_id, r1!.run_id);
    assert.equal(v1.source, expectedSource);
    assert.equal(v1.status, 'READY');
    assert.equal(v1.current_stage, 'None');
    assert.equal(typeof v1.creation_timestamp, 'number');
    assert.ok(fs.existsSync(path.join(run1.dir, 'artifacts', 'model', 'v1-model.json')), 'the source holds the model');
    const meta = fs.readFileSync(path.join(modelDir, 'meta.yaml'), 'utf8');
    assert.match(meta, /^creation_timestamp: \d+\ndescription: null\nlast_updated_timestamp: \d+\nname: driftcatcher\n$/);

    assert.deepEqual(await markProductionRun(ctx, 'v2'), []);
    assert.equal(fs.readFileSync(path.join(modelDir, 'aliases', 'production'), 'utf8'), '2');
    assert.deepEqual(await markProductionRun(ctx, 'v1'), [], 'a rollback moves it back');
    const registry = new FileModelRegistry(path.join(ws, 'mlruns'), path.join(ws, '.driftcatcher', 'registry.lock'));
    assert.deepEqual(registry.aliases(REGISTERED_MODEL), { production: '1' });
    // the registry folder is not mistaken for an experiment
    assert.ok(!new FileStore(path.join(ws, 'mlruns')).experiments().some((e) => e.name === '' || e.id === 'models'));
  });

  it('refuses an alias to a version that does not exist and names that would escape the folder', async () => {
    const ws = tempDir();
    const registry = new FileModelRegistry(path.join(ws, 'mlruns'), path.join(ws, '.lock'));
    await registry.createVersion('m', 'file:///x', 'r1');
    assert.throws(() => registry.setAlias('m', 'production', '7'), /has no version 7/);
    assert.throws(() => registry.modelDir('../evil'), /invalid registered model name/);
    assert.throws(() => registry.setAlias('m', '../x', '1'), /invalid alias/);
    assert.deepEqual(registry.versions('m'), [1]);
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkLogBatch, LOG_BATCH_LIMITS, MlflowRestClient } from '../../../src/core/tracking/restClient';
import { RestTracker, REMOTE_RUN_TAG } from '../../../src/core/tracking/restStore';
import { getTracker } from '../../../src/core/tracking/store';
import { localRuns } from '../../../src/core/tracking/queries';
import { logTrainingRun, markProductionRun, REGISTERED_MODEL } from '../../../src/core/tracking/pipelineRuns';
import type { ModelVersion, TrainResult, ClassificationMetrics } from '../../../src/core/protocol';
import { deadUrl, startFakeMlflow, type FakeMlflow } from './fakeMlflow';
import { makeCtx, tempDir } from './helpers';
import { MetricsSchema } from '../../../src/core/model/schemas';

describe('tracking/RestTracker (MLflow REST API 2.0)', () => {
  let ws: string;
  let fake: FakeMlflow;
  let logs: string[];
  beforeEach(async () => {
    ws = tempDir();
    fake = await startFakeMlflow();
    logs = [];
  });
  afterEach(async () => {
    await fake.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('is chosen when the tracking URI is http(s)', () => {
    assert.equal(getTracker(makeCtx(ws, { tracking: { uri: fake.url } })).kind, 'rest');
    assert.equal(getTracker(makeCtx(ws)).kind, 'file');
  });

  it('creates the experiment and the run, logs, and finishes the run, in MLflow\'s call order', async () => {
    const tracker = new RestTracker(fake.url, path.join(ws, 'mlruns'), (m) => logs.push(m));
    const run = await tracker.logRun({
      experiment: 'drift_monitoring',
      name: 'check',
      params: { threshold: 0.1, long: 'x'.repeat(7000) },
      metrics: { overall_psi: 0.31, weird: NaN },
      tags: { data_source: 'a.csv' },
    });
    assert.deepEqual(fake.violations, []);
    assert.deepEqual(run.warnings, []);
    const [remoteId, remote] = [...fake.runs.entries()][0];
    assert.equal(fake.experiments.get('drift_monitoring'), remote.experiment_id);
    assert.equal(remote.status, 'FINISHED');
    assert.equal(typeof remote.end_time, 'number');
    assert.equal(remote.metrics.find((m) => m.key === 'overall_psi').value, 0.31);
    assert.equal(remote.metrics.find((m) => m.key === 'weird').value, 'NaN', 'protobuf JSON spelling of NaN');
    assert.equal(remote.params.get('threshold'), '0.1');
    assert.equal(remote.params.get('long')!.length, 6000, 'cut to MLflow max param length');
    assert.equal(remote.tags.get('mlflow.runName'), 'check');
    assert.equal(remote.tags.get('data_source'), 'a.csv');
    assert.deepEqual(fake.requests.slice(0, 3).map((r) => r.path), ['experiments/get-by-name', 'experiments/create', 'runs/create']);
    assert.equal(fake.requests.at(-1)!.path, 'runs/update');
    // a second run reuses the experiment instead of creating it again
    await tracker.logRun({ experiment: 'drift_monitoring', metrics: { overall_psi: 0.1 } });
    assert.equal(fake.requests.filter((r) => r.path === 'experiments/create').length, 1);
    // the local copy is complete and points at its remote twin
    const local = localRuns(ws, 'drift_monitoring').find((r) => r.name === 'check')!;
    assert.equal(local.tags[REMOTE_RUN_TAG], remoteId);
    assert.equal(local.metrics.overall_psi, 0.31);
    assert.equal(local.status, 'FINISHED');
  });

  it('sends big batches in as many log-batch requests as the limits require', async () => {
    const client = new MlflowRestClient(fake.url);
    const expId = await client.getOrCreateExperiment('e');
    const { run_id } = await client.createRun({ experiment_id: expId, start_time: Date.now(), tags: [] });
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: `psi_f${i}`, value: i / 1000, timestamp: Date.now(), step: 0 }));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: `v${i}` }));
    const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t${i}`, value: 'y'.repeat(7999) }));
    const requests = await client.logBatch(run_id, { metrics, params, tags });
    assert.deepEqual(fake.violations, []);
    assert.ok(requests >= 3, `2500 metrics need at least 3 requests, made ${requests}`);
    const remote = fake.runs.get(run_id)!;
    assert.equal(remote.metrics.length, 2500);
    assert.equal(remote.params.size, 250);
    assert.equal(remote.tags.size, 120);
  });

  it('splits log-batch requests by every limit in the docs', () => {
    const m = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 }));
    const kv = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, value: 'v' }));
    const chunks = chunkLogBatch({ metrics: m(1500), params: kv(150, 'p'), tags: kv(230, 't') });
    for (const c of chunks) {
      assert.ok(c.metrics.length <= LOG_BATCH_LIMITS.metrics);
      assert.ok(c.params.length <= LOG_BATCH_LIMITS.params);
      assert.ok(c.tags.length <= LOG_BATCH_LIMITS.tags);
      assert.ok(c.metrics.length + c.params.length + c.tags.length <= LOG_BATCH_LIMITS.entities);
    }
    assert.equal(chunks.reduce((s, c) => s + c.metrics.length, 0), 1500);
    assert.equal(chunks.reduce((s, c) => s + c.params.length, 0), 150);
    assert.equal(chunks.reduce((s, c) => s + c.tags.length, 0), 230);
    // the 1 MB request size limit: 300 tags of 7 kB would be 2.1 MB in one request
    const big = chunkLogBatch({ metrics: [], params: [], tags: Array.from({ length: 99 }, (_, i) => ({ key: `t${i}`, value: 'y'.repeat(7000) })) });
    assert.ok(big.length >= 1);
    for (const c of big) assert.ok(Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...c })) <= LOG_BATCH_LIMITS.requestBytes);
    const huge = chunkLogBatch({ metrics: [], params: Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'z'.repeat(5999) })), tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'y'.repeat(7999) })) });
    assert.ok(huge.length >= 2);
    for (const c of huge) assert.ok(Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...c })) <= LOG_BATCH_LIMITS.requestBytes);
  });

  it('keeps the run locally and reports the failure when the server is down (connection refused)', async () => {
    const url = await deadUrl();
    const ctx = makeCtx(ws, { tracking: { uri: url } }, logs);
    const run = await getTracker(ctx).logRun({ experiment: 'drift_monitoring', metrics: { overall_psi: 0.3 }, params: { method: 'psi' } });
    assert.equal(run.warnings.length, 1);
    assert.match(run.warnings[0], /unreachable \(ECONNREFUSED\).*kept locally/);
    assert.equal(logs.length, 1);
    assert.equal(run.status, 'FINISHED');
    const [local] = localRuns(ws, 'drift_monitoring');
    assert.equal(local.metrics.overall_psi, 0.3);
    assert.equal(local.params.method, 'psi');
    assert.equal(local.tags[REMOTE_RUN_TAG], undefined);
  });

  it('a server failing mid-run (HTTP 500) leaves the local run complete, with one warning', async () => {
    const tracker = new RestTracker(fake.url, path.join(ws, 'mlruns'), (m) => logs.push(m));
    const run = await tracker.startRun('x');
    fake.failLogBatch = true;
    await run.logMetrics({ a: 1 });
    await run.logMetrics({ b: 2 });
    const done = await run.end();
    assert.equal(done.warnings.length, 1, 'the remote is not retried for every call once it failed');
    assert.match(done.warnings[0], /INTERNAL_ERROR database is locked/);
    assert.deepEqual(done.metrics, { a: 1, b: 2 });
  });

  it('reports the API error (not "unreachable") when the server refuses a request', async () => {
    const client = new MlflowRestClient(fake.url);
    await assert.rejects(client.setAlias('nope', 'production', '1'), /RESOURCE_DOES_NOT_EXIST/);
    assert.equal(await client.getExperimentByName('missing'), undefined);
  });

  it('training runs upload artifacts, register a model version, and deploy sets alias production', async () => {
    const ctx = makeCtx(ws, { tracking: { uri: fake.url } }, logs);
    const model = path.join(ws, 'model.json');
    const profile = path.join(ws, 'profile.json');
    fs.writeFileSync(model, '{"forest":1}');
    fs.writeFileSync(profile, '{"profile":1}');
    const metrics: ClassificationMetrics = MetricsSchema.parse({ accuracy: 0.99, precision: 0.98, recall: 0.97, f1: 0.975, roc_auc: 0.995, confusion: { tn: 50, fp: 1, fn: 2, tp: 47, labels: ['BENIGN', 'DDoS'] }, rows: 100 });
    const result: TrainResult = { version: 'v2', metrics, rows: 400, dropped_rows: 0, train_seconds: 1 };
    const meta = { version: 'v2', trees: 100, label: ' Label', lineage: [{ path: 'data/base.csv', rows: 400, sha256: 'x' }] } as unknown as ModelVersion;
    const run = await logTrainingRun(ctx, result, meta, { model, profile });
    assert.ok(run);
    assert.deepEqual(fake.violations, []);
    assert.deepEqual(run.warnings, []);
    assert.equal(run.registry_version, '1');
    const remote = [...fake.runs.values()][0];
    const arts = [...fake.artifacts.keys()].sort();
    assert.deepEqual(arts.map((a) => a.split('/').slice(3).join('/')), ['model/model.json', 'profile/profile.json']);
    assert.equal(fake.artifacts.get(arts[0])!.toString(), '{"forest":1}');
    assert.equal(fake.models.get(REGISTERED_MODEL)!.versions[0].source.endsWith('/artifacts/model'), true);
    assert.equal(remote.params.get('n_estimators'), '100');
    assert.equal(remote.params.get('max_depth'), 'None');

    assert.deepEqual(await markProductionRun(ctx, 'v2'), []);
    assert.equal(fake.models.get(REGISTERED_MODEL)!.aliases.get('production'), '1');
  });
});

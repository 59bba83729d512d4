import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileStore, FileTracker, formatMetricValue } from '../../../src/core/tracking/fileStore';
import { parseFlatYaml } from '../../../src/core/tracking/yaml';
import { localMetricHistory, localRuns } from '../../../src/core/tracking/queries';
import { pyYamlDump } from './helpers';
import { tempDir } from './helpers';

const RUN_META_KEYS = [
  'artifact_uri',
  'deleted_time',
  'end_time',
  'entry_point_name',
  'experiment_id',
  'lifecycle_stage',
  'run_id',
  'run_name',
  'run_uuid',
  'source_name',
  'source_type',
  'source_version',
  'start_time',
  'status',
  'tags',
  'user_id',
];

describe('tracking/FileStore (MLflow file store layout)', () => {
  let ws: string;
  let root: string;
  beforeEach(() => {
    ws = tempDir();
    root = path.join(ws, 'mlruns');
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('creates the store like MLflow: experiment 0 "Default" and .trash', async () => {
    const tracker = new FileTracker(root);
    await tracker.startRun('drift_monitoring');
    assert.ok(fs.statSync(path.join(root, '.trash')).isDirectory());
    const text = fs.readFileSync(path.join(root, '0', 'meta.yaml'), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], `artifact_location: ${pathToFileURL(path.join(root, '0')).href}`);
    assert.match(lines[1], /^creation_time: \d{13}$/);
    assert.equal(lines[2], "experiment_id: '0'");
    assert.match(lines[3], /^last_update_time: \d{13}$/);
    assert.equal(lines[4], 'lifecycle_stage: active');
    assert.equal(lines[5], 'name: Default');
    assert.equal(lines.length, 7);
    assert.equal(lines[6], '');
  });

  it('writes a run exactly as MLflow file_store.py does', async function () {
    const tracker = new FileTracker(root);
    const model = path.join(ws, 'model.json');
    fs.writeFileSync(model, '{"trees":[]}');
    const run = await tracker.logRun({
      experiment: 'drift_monitoring',
      name: 'drift_check_1',
      params: { threshold: 0.1, method: 'psi' },
      metrics: { overall_psi: 0.25, n_drifted_features: 3, total_features: 78 },
      tags: { data_source: 'data/current.csv', timestamp: '2024-01-01T00:00:00.000Z' },
      artifacts: [{ file: model, path: 'model' }],
    });
    assert.match(run.run_id, /^[0-9a-f]{32}$/);

    const exps = fs.readdirSync(root).filter((d) => d !== '.trash' && d !== '0');
    assert.equal(exps.length, 1);
    const expId = exps[0];
    assert.match(expId, /^\d{16,19}$/, 'experiment ids are integers, like _generate_unique_integer_id');
    const expMeta = parseFlatYaml(fs.readFileSync(path.join(root, expId, 'meta.yaml'), 'utf8'));
    assert.equal(expMeta.name, 'drift_monitoring');
    assert.equal(expMeta.experiment_id, expId);
    assert.equal(expMeta.lifecycle_stage, 'active');

    const runDir = path.join(root, expId, run.run_id);
    const metaText = fs.readFileSync(path.join(runDir, 'meta.yaml'), 'utf8');
    const meta = parseFlatYaml(metaText);
    assert.deepEqual(Object.keys(meta), RUN_META_KEYS, 'RunInfo fields, sorted like yaml.safe_dump');
    assert.equal(meta.artifact_uri, pathToFileURL(path.join(runDir, 'artifacts')).href);
    assert.equal(meta.status, 3, 'FINISHED is 3 in MLflow RunStatus');
    assert.equal(meta.source_type, 4, 'SourceType.LOCAL');
    assert.equal(meta.run_id, run.run_id);
    assert.equal(meta.run_uuid, run.run_id);
    assert.equal(meta.run_name, 'drift_check_1');
    assert.equal(meta.experiment_id, expId);
    assert.equal(meta.deleted_time, null);
    assert.deepEqual(meta.tags, []);
    assert.equal(typeof meta.start_time, 'number');
    assert.ok((meta.end_time as number) >= (meta.start_time as number));
    // byte-identical to PyYAML's dump of the same RunInfo dict
    assert.equal(metaText, pyYamlDump(meta));

    assert.match(fs.readFileSync(path.join(runDir, 'metrics', 'overall_psi'), 'utf8'), /^\d{13} 0\.25 0\n$/);
    assert.match(fs.readFileSync(path.join(runDir, 'metrics', 'total_features'), 'utf8'), /^\d{13} 78\.0 0\n$/);
    assert.equal(fs.readFileSync(path.join(runDir, 'params', 'threshold'), 'utf8'), '0.1');
    assert.equal(fs.readFileSync(path.join(runDir, 'params', 'method'), 'utf8'), 'psi');
    assert.equal(fs.readFileSync(path.join(runDir, 'tags', 'data_source'), 'utf8'), 'data/current.csv');
    assert.equal(fs.readFileSync(path.join(runDir, 'tags', 'mlflow.runName'), 'utf8'), 'drift_check_1');
    assert.equal(fs.readFileSync(path.join(runDir, 'tags', 'mlflow.source.type'), 'utf8'), 'LOCAL');
    assert.ok(fs.existsSync(path.join(runDir, 'tags', 'mlflow.user')));
    assert.equal(fs.readFileSync(path.join(runDir, 'artifacts', 'model', 'model.json'), 'utf8'), '{"trees":[]}');
    // no temp files left behind anywhere in the run
    const all = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(path.join(d, e.name)) : [e.name]));
    assert.deepEqual(all(runDir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('appends metric steps and reads the latest value the way MLflow does (max step)', async () => {
    const tracker = new FileTracker(root);
    const run = await tracker.startRun('Model Training', { name: 'r' });
    await run.logMetrics({ loss: 0.9 }, 0);
    await run.logMetrics({ loss: 0.5 }, 2);
    await run.logMetrics({ loss: 0.7 }, 1);
    const done = await run.end();
    assert.equal(done.metrics.loss, 0.5);
    const lines = fs.readFileSync(path.join((run as unknown as { dir: string }).dir, 'metrics', 'loss'), 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(' ').slice(1).join(' ')), ['0.9 0', '0.5 2', '0.7 1']);
  });

  it('params are immutable, as in MLflow', async () => {
    const run = await new FileTracker(root).startRun('x');
    await run.logParams({ a: 1 });
    await run.logParams({ a: 1 });
    await assert.rejects(run.logParams({ a: 2 }), /already logged with a different value/);
  });

  it('rejects names that would escape the run folder', async () => {
    const run = await new FileTracker(root).startRun('x');
    await assert.rejects(run.logMetrics({ '../../evil': 1 }), /invalid metric name/);
    await assert.rejects(run.setTags({ '/abs': 'v' }), /invalid tag name/);
    assert.ok(!fs.existsSync(path.join(root, 'evil')));
  });

  it('reuses an experiment by name and lists runs / metric history across runs', async () => {
    const tracker = new FileTracker(root);
    for (const psi of [0.05, 0.3, 0.12]) {
      await tracker.logRun({ experiment: 'drift_monitoring', metrics: { overall_psi: psi } });
      await new Promise((r) => setTimeout(r, 3)); // distinct timestamps
    }
    await tracker.logRun({ experiment: 'Model Training', metrics: { accuracy: 0.99 } });
    const exps = new FileStore(root).experiments().map((e) => e.name).sort();
    assert.deepEqual(exps, ['Default', 'Model Training', 'drift_monitoring']);
    assert.equal(localRuns(ws, 'drift_monitoring').length, 3);
    assert.equal(localRuns(ws).length, 4);
    const hist = localMetricHistory(ws, 'drift_monitoring', 'overall_psi');
    assert.deepEqual(hist.map((p) => p.value), [0.05, 0.3, 0.12]);
    assert.ok(hist.every((p) => /^[0-9a-f]{32}$/.test(p.run_id)));
    assert.deepEqual(localMetricHistory(ws, 'nope', 'overall_psi'), []);
  });

  it('reads runs written by MLflow itself (legacy int experiment id, no deleted_time, FAILED)', () => {
    const runDir = path.join(root, '5', 'a'.repeat(32));
    fs.mkdirSync(path.join(runDir, 'metrics'), { recursive: true });
    fs.mkdirSync(path.join(runDir, 'params'), { recursive: true });
    fs.writeFileSync(path.join(root, '5', 'meta.yaml'), 'artifact_location: ./mlruns/5\nexperiment_id: 5\nlifecycle_stage: active\nname: legacy\n');
    fs.writeFileSync(
      path.join(runDir, 'meta.yaml'),
      `artifact_uri: ./mlruns/5/${'a'.repeat(32)}/artifacts\nend_time: 20\nentry_point_name: ''\nexperiment_id: 5\nlifecycle_stage: active\nrun_id: ${'a'.repeat(32)}\nrun_uuid: ${'a'.repeat(32)}\nsource_type: 4\nstart_time: 10\nstatus: 4\ntags: []\nuser_id: bob\n`,
    );
    fs.writeFileSync(path.join(runDir, 'metrics', 'acc'), '1 0.5 0\n2 nan 1\n');
    fs.writeFileSync(path.join(runDir, 'params', 'p'), 'v');
    const [run] = localRuns(ws, 'legacy');
    assert.equal(run.status, 'FAILED');
    assert.equal(run.end_time, 20);
    assert.ok(Number.isNaN(run.metrics.acc));
    assert.equal(run.params.p, 'v');
  });

  it('formats metric values like Python float repr', () => {
    assert.equal(formatMetricValue(3), '3.0');
    assert.equal(formatMetricValue(0.1), '0.1');
    assert.equal(formatMetricValue(NaN), 'nan');
    assert.equal(formatMetricValue(-Infinity), '-inf');
  });
});

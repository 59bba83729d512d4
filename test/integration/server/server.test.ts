import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, REPO_ROOT, type Message } from './lspClient';
import { rpcError, serverPerTest, tempWorkspace, versionsOnDisk, writeFlows } from './fixtures';

/**
 * The engine server driven as another editor would: `node dist/server.js --stdio`, raw Content-Length framing,
 * no vscode-languageclient. Covers initialize, checkDrift with progress, cancelling a training, ping during a
 * training, CSV diagnostics/hover/code action, and a path outside the workspace.
 */

interface Progress {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; percentage?: number; message?: string };
}

function progressOf(c: LspClient, token: string): Progress['value'][] {
  return c.notifications.filter((n) => n.method === '$/progress' && (n.params as Progress).token === token).map((n) => (n.params as Progress).value);
}

/** a workspace with base/holdout/drifted CSVs and v1 trained, validated and deployed through the server */
async function deployedWorkspace(c: LspClient): Promise<string> {
  const ws = tempWorkspace();
  writeFlows(path.join(ws, 'data', 'base.csv'), 3000, { seed: 1 });
  writeFlows(path.join(ws, 'data', 'holdout.csv'), 800, { seed: 2 });
  writeFlows(path.join(ws, 'data', 'drifted.csv'), 800, { seed: 3, shift: 1, swapLabels: true });
  writeFlows(path.join(ws, 'data', 'same.csv'), 800, { seed: 4 });
  await c.initialize(ws);
  await c.request('driftcatcher/train', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' });
  await c.request('driftcatcher/deploy', {});
  return ws;
}

describe('engine server over raw stdio', function () {
  this.timeout(120_000);
  let c: LspClient;

  serverPerTest(() => c);

  it('initializes with the workspace folder and advertises every driftcatcher method', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    const init = (await c.initialize(ws)) as {
      capabilities: { hoverProvider: boolean; codeActionProvider: unknown; experimental: { driftcatcher: { methods: string[] } } };
      serverInfo: { name: string };
    };
    assert.equal(init.serverInfo.name, 'driftcatcher');
    assert.equal(init.capabilities.hoverProvider, true);
    assert.ok(init.capabilities.experimental.driftcatcher.methods.includes('driftcatcher/checkDrift'));
    const pong = await c.request<{ pong: boolean; time: number }>('driftcatcher/ping', {});
    assert.equal(pong.pong, true);
    const models = await c.request<unknown[]>('driftcatcher/listModels', {});
    assert.deepEqual(models, []);
  });

  it('`driftcatcher serve --stdio` is the same server, in the CLI process', async () => {
    c = new LspClient([path.join(REPO_ROOT, 'dist', 'cli.js'), 'serve', '--stdio']);
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'base.csv'), 300, { seed: 1 });
    await c.initialize(ws);
    assert.equal((await c.request<{ pong: boolean }>('driftcatcher/ping', {})).pong, true);
    const report = await c.request<{ overall: { severity: string } }>('driftcatcher/checkDrift', { current: 'base.csv', baseline: 'base.csv' });
    assert.equal(report.overall.severity, 'none'); // a heavy job: the worker is found next to dist/cli.js
    const err = await rpcError(c.request('driftcatcher/checkDrift', { current: '/etc/hostname' }));
    assert.equal(err.data?.code, 'OUTSIDE_WORKSPACE');
  });

  it('answers requests sent before initialize with ServerNotInitialized', async () => {
    c = new LspClient();
    const err = await rpcError(c.request('driftcatcher/ping', {}));
    assert.equal(err.code, -32002);
    await c.initialize(tempWorkspace());
    assert.equal((await c.request<{ pong: boolean }>('driftcatcher/ping', {})).pong, true);
  });

  it('checkDrift on fixture files reports the drifted features with $/progress begin/report/end', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'base.csv'), 2000, { seed: 1 });
    writeFlows(path.join(ws, 'batch.csv'), 1000, { seed: 5, shift: 1 });
    await c.initialize(ws);
    const report = await c.request<{ overall: { severity: string; n_drifted: number }; features: Array<{ name: string; severity: string }> }>(
      'driftcatcher/checkDrift',
      { current: 'batch.csv', baseline: 'base.csv', workDoneToken: 'check-1' },
    );
    assert.equal(report.overall.severity, 'severe');
    const drifted = report.features.filter((f) => f.severity !== 'none').map((f) => f.name.trim());
    assert.deepEqual(drifted.sort(), ['Flow Bytes/s', 'Flow Duration']);

    const progress = progressOf(c, 'check-1');
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(progress.some((p) => p.kind === 'report' && typeof p.percentage === 'number' && p.message), JSON.stringify(progress));
    // the report is pushed as a notification and kept for the dashboard (memory and disk)
    assert.ok(c.notifications.some((n) => n.method === 'driftcatcher/driftReport'));
    const dash = await c.request<{ report?: { overall: { severity: string } } }>('driftcatcher/dashboardData', {});
    assert.equal(dash.report?.overall.severity, 'severe');
    assert.ok(fs.existsSync(path.join(ws, '.driftcatcher', 'last-report.json')));
    // DC_TRANSCRIPT=file keeps the raw bytes of this session (docs/protocol.md's worked example)
    if (process.env.DC_TRANSCRIPT) fs.writeFileSync(process.env.DC_TRANSCRIPT, c.transcript.map((t) => `--- ${t.dir}\n${t.bytes}\n`).join(''));
  });

  it('workspace/didChangeConfiguration applies new settings to later requests; a broken value is ignored', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'base.csv'), 2000, { seed: 1 });
    writeFlows(path.join(ws, 'batch.csv'), 1000, { seed: 5, shift: 1 });
    await c.initialize(ws);
    const check = () => c.request<{ overall: { severity: string }; thresholds: { moderate: number; severe: number } }>('driftcatcher/checkDrift', { current: 'batch.csv', baseline: 'base.csv' });
    assert.equal((await check()).overall.severity, 'severe');
    // thresholds so high that the same drift counts as none
    c.notify('workspace/didChangeConfiguration', { settings: { config: { drift: { moderate: 50, severe: 100 } } } });
    const relaxed = await check();
    assert.deepEqual([relaxed.thresholds.moderate, relaxed.thresholds.severe], [50, 100]);
    assert.equal(relaxed.overall.severity, 'none');
    // an invalid setting is reported and the previous settings stay in force
    c.notify('workspace/didChangeConfiguration', { settings: { config: { drift: { moderate: -1 } } } });
    await c.waitFor((m) => m.method === 'driftcatcher/log' && /settings ignored/.test(JSON.stringify(m.params)));
    assert.equal((await check()).overall.severity, 'none');
  });

  it('without a workDoneToken, a heavy request gets a server-created progress token', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'base.csv'), 500, { seed: 1 });
    await c.initialize(ws);
    await c.request('driftcatcher/profileBaseline', { baseline: 'base.csv' });
    const created = c.transcript.find((t) => t.dir === 'server→client' && t.bytes.includes('window/workDoneProgress/create'));
    assert.ok(created, 'expected window/workDoneProgress/create');
    const token = (JSON.parse(created.bytes.slice(created.bytes.indexOf('{'))) as Message & { params: { token: string } }).params.token;
    await c.waitFor((n) => n.method === '$/progress' && (n.params as Progress).token === token && (n.params as Progress).value.kind === 'end');
    assert.ok(fs.existsSync(path.join(ws, '.driftcatcher', 'baseline-profile.json')));
  });

  it('cancelling a training answers RequestCancelled and leaves no new model version or partial files', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'data', 'base.csv'), 6000, { seed: 1 });
    await c.initialize(ws);
    const before = versionsOnDisk(ws);
    const { id, result } = c.start('driftcatcher/train', { baseData: 'data/base.csv', trees: 3000, workDoneToken: 'train-1' });
    await c.waitFor((n) => n.method === '$/progress' && (n.params as Progress).token === 'train-1' && /trees/.test((n.params as Progress).value.message ?? ''));
    const t0 = process.hrtime.bigint();
    c.cancel(id);
    const err = await rpcError(result);
    console.log(`      cancel → response: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
    assert.equal(err.code, -32800);
    assert.equal(err.data?.code, 'CANCELLED');
    assert.deepEqual(versionsOnDisk(ws), before);
    const modelsDir = path.join(ws, '.driftcatcher', 'models');
    const leftovers = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).filter((n) => !/^v\d+$/.test(n)) : [];
    assert.deepEqual(leftovers, [], 'staging directories must be removed');
    assert.ok(!fs.existsSync(path.join(ws, '.driftcatcher', 'lock')), 'the registry lock must be released');
    // the server is still healthy and the retrain queue is free again
    const again = await c.request<{ version: string }>('driftcatcher/train', { baseData: 'data/base.csv', trees: 2 });
    assert.equal(again.version, 'v1');
  });

  it('answers ping on the main thread while a training job runs', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'data', 'base.csv'), 6000, { seed: 1 });
    await c.initialize(ws);
    let trainDone = false;
    const { id, result } = c.start('driftcatcher/train', { baseData: 'data/base.csv', trees: 3000, workDoneToken: 'train-2' });
    const settled = result.then(
      () => (trainDone = true),
      () => (trainDone = true),
    );
    await c.waitFor((n) => n.method === '$/progress' && (n.params as Progress).token === 'train-2' && /trees/.test((n.params as Progress).value.message ?? ''));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      await c.request('driftcatcher/ping', {});
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      assert.equal(trainDone, false, 'ping must be answered while the training still runs');
    }
    const models = await c.request<unknown[]>('driftcatcher/listModels', {});
    assert.equal(trainDone, false);
    assert.deepEqual(models, []);
    console.log(`      ping latency during training (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    c.cancel(id);
    await settled;
  });

  it('publishes diagnostics on the drifted header cells of an opened CSV, with hover and a dashboard code action', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    const file = path.join(ws, 'data', 'drifted.csv');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    const header = text.slice(0, text.indexOf('\n'));
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csv', version: 1, text } });
    const published = await c.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri);
    const diags = (published.params as { diagnostics: Array<{ range: { start: { line: number; character: number }; end: { character: number } }; severity: number; message: string; data: { feature: string } }> }).diagnostics;
    const byName = new Map(diags.map((d) => [header.slice(d.range.start.character, d.range.end.character), d]));
    assert.deepEqual([...byName.keys()].sort(), ['Flow Bytes/s', 'Flow Duration']);
    for (const d of diags) {
      assert.equal(d.range.start.line, 0);
      assert.equal(d.severity, 1); // error: severe
      assert.match(d.message, /^(Flow Duration|Flow Bytes\/s): PSI \d+\.\d\d \(severe\) · KS p=\S+$/);
    }
    // the padded header " Flow Duration" is underlined without its padding space
    const flowDuration = byName.get('Flow Duration');
    assert.ok(flowDuration);
    assert.equal(flowDuration.range.start.character, header.indexOf('Flow Duration'));

    const hover = await c.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: flowDuration.range.start.character + 2 },
    });
    assert.ok(hover);
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*Flow Duration\*\*/);
    assert.match(hover.contents.value, /\| PSI \|/);

    // the quoted header "Init, Win bytes" is one cell: hovering inside the quotes finds its (undrifted) statistics
    const quoted = header.indexOf('Win bytes');
    const hoverQuoted = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: quoted } });
    assert.match(hoverQuoted?.contents.value ?? '', /\*\*Init, Win bytes\*\* — numeric, drift \*\*none\*\*/);

    const actions = await c.request<Array<{ title: string; command: { command: string; arguments: string[] } }>>('textDocument/codeAction', {
      textDocument: { uri },
      range: flowDuration.range,
      context: { diagnostics: [flowDuration] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Open DriftCatcher dashboard on Flow Duration');
    assert.equal(actions[0].command.command, 'driftcatcher.openDashboard');
    assert.deepEqual(actions[0].command.arguments, ['Flow Duration']);

    // an undrifted batch gets an empty diagnostics list
    const sameUri = pathToFileURL(path.join(ws, 'data', 'same.csv')).href;
    c.notify('textDocument/didOpen', { textDocument: { uri: sameUri, languageId: 'csv', version: 1, text: fs.readFileSync(path.join(ws, 'data', 'same.csv'), 'utf8') } });
    const same = await c.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === sameUri);
    assert.deepEqual((same.params as { diagnostics: unknown[] }).diagnostics, []);

    // opening a CSV has no side effects: no report announced or kept as the latest, no tracked run
    assert.ok(!c.notifications.some((n) => n.method === 'driftcatcher/driftReport'), 'no driftReport for opened CSVs');
    const dashboard = await c.request<{ report?: unknown }>('driftcatcher/dashboardData', {});
    assert.equal(dashboard.report, undefined, 'the latest report is not overwritten by an opened CSV');
    assert.deepEqual(await c.request('driftcatcher/listRuns', { experiment: 'drift_monitoring' }), []);
  });

  it('re-publishes the diagnostics of open CSVs when production changes (deploy, rollback)', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    const uri = pathToFileURL(path.join(ws, 'data', 'drifted.csv')).href;
    const publications = () => c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri);
    /** total PSI over the flagged header cells of the latest publication */
    const flaggedPsi = () =>
      (publications().at(-1)!.params as { diagnostics: Array<{ message: string }> }).diagnostics.reduce((a, d) => a + Number(/: PSI (\S+)/.exec(d.message)![1]), 0);
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csv', version: 1, text: fs.readFileSync(path.join(ws, 'data', 'drifted.csv'), 'utf8') } });
    await c.waitFor(() => publications().length === 1);
    const againstV1 = flaggedPsi();
    assert.ok(againstV1 > 0.4, `v1 (trained on base.csv) flags drift: ${againstV1}`);
    // v2 also learns the drifted data: against its baseline the open file drifts less
    const v2 = await c.request<{ version: string }>('driftcatcher/train', { baseData: 'data/base.csv', newData: ['data/drifted.csv'], holdout: 'data/holdout.csv' });
    assert.equal(publications().length, 1, 'training alone does not change production');
    await c.request('driftcatcher/deploy', { version: v2.version });
    await c.waitFor(() => publications().length === 2);
    const againstV2 = flaggedPsi();
    assert.ok(againstV2 < againstV1, `after deploying ${v2.version}: PSI ${againstV2} vs ${againstV1}`);
    await c.request('driftcatcher/rollback', {});
    await c.waitFor(() => publications().length === 3);
    assert.ok(Math.abs(flaggedPsi() - againstV1) < 1e-9, 'back on v1, the same drift again');
  });

  it('abandons a waiting plan and resumes one interrupted mid-run', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    type PlanReply = { id: string; status: string; steps: Array<{ tool: string; status: string }> };
    const run = () => c.request<{ plan: PlanReply }>('driftcatcher/runAgent', { current: 'data/drifted.csv', autonomy: 'approve' });
    const first = (await run()).plan;
    assert.equal(first.status, 'awaiting_approval');
    const abandoned = await c.request<PlanReply>('driftcatcher/abandonPlan', { planId: first.id });
    assert.equal(abandoned.status, 'abandoned');
    assert.equal(abandoned.steps.find((st) => st.tool === 'deploy_model')?.status, 'skipped');
    assert.equal(JSON.parse(fs.readFileSync(path.join(ws, '.driftcatcher', 'production.json'), 'utf8')).version, 'v1');
    const again = await rpcError(c.request('driftcatcher/abandonPlan', { planId: first.id }));
    assert.match(again.message, /already abandoned/);

    // a plan the engine stopped in the middle of (as if killed while validating): resume runs from there
    const second = (await run()).plan;
    const file = path.join(ws, '.driftcatcher', 'plans', `${second.id}.json`);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanReply & { steps: Array<{ tool: string; status: string; result?: unknown }> };
    stored.status = 'running';
    for (const st of stored.steps) {
      if (st.tool === 'validate_model') st.status = 'running';
      if (['deploy_model', 'version_baseline', 'notify'].includes(st.tool)) st.status = 'pending';
      if (st.tool === 'validate_model') delete st.result;
    }
    fs.writeFileSync(file, JSON.stringify(stored));
    const resumed = await c.request<PlanReply>('driftcatcher/resumePlan', { planId: second.id });
    assert.equal(resumed.steps.find((st) => st.tool === 'validate_model')?.status, 'completed');
    assert.equal(resumed.status, 'awaiting_approval', 'approve autonomy stops before the deploy again');
  });

  it('watch mode: a new CSV in a watched folder is checked once it has settled, then handed to the agent', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    // watching starts on `initialized`; restart the server with the watch configuration
    await c.shutdown();
    const config = JSON.parse(fs.readFileSync(path.join(ws, 'driftcatcher.config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ ...config, watch: { folders: ['incoming'], checkIntervalSeconds: 1 } }));
    fs.mkdirSync(path.join(ws, 'incoming'));
    writeFlows(path.join(ws, 'incoming', 'old.csv'), 100, { seed: 9, shift: 1 }); // present at start: not new
    c = new LspClient();
    await c.initialize(ws);
    await c.waitFor((n) => n.method === 'driftcatcher/log' && /watching/.test((n.params as { message: string }).message));
    fs.copyFileSync(path.join(ws, 'data', 'drifted.csv'), path.join(ws, 'incoming', 'batch-001.csv'));
    const report = await c.waitFor((n) => n.method === 'driftcatcher/driftReport');
    const r = report.params as { current: { source: string }; overall: { severity: string } };
    assert.equal(path.basename(r.current.source), 'batch-001.csv');
    assert.equal(r.overall.severity, 'severe');
    const plan = await c.waitFor((n) => n.method === 'driftcatcher/planChanged', 60_000);
    assert.ok((plan.params as { steps: unknown[] }).steps.length > 0);
    assert.ok(!c.notifications.some((n) => n.method === 'driftcatcher/driftReport' && /old\.csv/.test(JSON.stringify(n.params))));
    // the batch's drift is computed once: one report, one tracked drift run
    await c.waitFor((n) => n.method === 'driftcatcher/log' && /^batch \S*batch-001\.csv: drift /.test((n.params as { message: string }).message), 60_000);
    assert.equal(c.notifications.filter((n) => n.method === 'driftcatcher/driftReport').length, 1);
    const runs = await c.request<Array<{ tags: Record<string, string> }>>('driftcatcher/listRuns', { experiment: 'drift_monitoring' });
    assert.equal(runs.length, 1, 'one tracked drift check for the batch');
  });

  it('refuses paths outside the workspace, including through .. and symlinks', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    const outside = tempWorkspace('dc-outside-');
    writeFlows(path.join(outside, 'secret.csv'), 50);
    fs.symlinkSync(outside, path.join(ws, 'link'));
    await c.initialize(ws);
    for (const current of [path.join(outside, 'secret.csv'), `../${path.basename(outside)}/secret.csv`, 'link/secret.csv']) {
      const err = await rpcError(c.request('driftcatcher/checkDrift', { current }));
      assert.equal(err.code, -32602, current);
      assert.equal(err.data?.code, 'OUTSIDE_WORKSPACE', current);
      assert.match(err.message, /outside the workspace/);
      assert.ok(!err.message.includes('\n'), 'one-line message');
    }
    // writes too: an output path through the symlink is refused before anything is written
    writeFlows(path.join(ws, 'base.csv'), 50);
    const err = await rpcError(c.request('driftcatcher/profileBaseline', { baseline: 'base.csv', output: 'link/profile.json' }));
    assert.equal(err.data?.code, 'OUTSIDE_WORKSPACE');
    assert.ok(!fs.existsSync(path.join(outside, 'profile.json')));
  });

  it('keeps the chosen baseline in .driftcatcher/: checks, header diagnostics and the CLI use it until production is chosen again', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    assert.deepEqual(await c.request('driftcatcher/getBaseline', {}), { kind: 'production', version: 'v1' });
    const againstV1 = await c.request<{ baseline: { source: string; model_version?: string }; overall: { psi_max: number } }>('driftcatcher/checkDrift', { current: 'data/drifted.csv' });
    assert.equal(againstV1.baseline.model_version, 'v1', 'a check against production names the version');
    const uri = pathToFileURL(path.join(ws, 'data', 'drifted.csv')).href;
    const publications = () => c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri);
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csv', version: 1, text: fs.readFileSync(path.join(ws, 'data', 'drifted.csv'), 'utf8') } });
    await c.waitFor(() => publications().length === 1);
    assert.ok((publications()[0].params as { diagnostics: unknown[] }).diagnostics.length > 0, 'drifted against v1');

    // choose the drifted file itself: stored by the engine, announced, and the open CSV is checked again
    const choice = await c.request<{ kind: string; source: string; rows: number }>('driftcatcher/setBaseline', { baseline: 'data/drifted.csv' });
    assert.deepEqual([choice.kind, choice.source, choice.rows], ['file', 'data/drifted.csv', 800]);
    assert.ok(c.notifications.some((n) => n.method === 'driftcatcher/baselineChanged' && (n.params as { kind: string }).kind === 'file'));
    assert.ok(fs.existsSync(path.join(ws, '.driftcatcher', 'chosen-baseline.json')));
    await c.waitFor(() => publications().length === 2);
    assert.deepEqual((publications()[1].params as { diagnostics: unknown[] }).diagnostics, [], 'no drift against itself');
    const againstChoice = await c.request<{ baseline: { source: string; model_version?: string }; overall: { psi_max: number } }>('driftcatcher/checkDrift', { current: 'data/drifted.csv' });
    assert.equal(againstChoice.baseline.model_version, undefined);
    assert.ok(againstChoice.baseline.source.endsWith('drifted.csv'), againstChoice.baseline.source);
    assert.ok(againstChoice.overall.psi_max < 1e-9, `psi against itself ${againstChoice.overall.psi_max}`);

    // the CLI, another process, sees the same choice
    const cli = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'drift', 'data/drifted.csv', '--workspace', ws, '--format', 'table'], { cwd: ws, encoding: 'utf8' });
    assert.match(cli, /^baseline \S*drifted\.csv \(800 rows\)/m, 'the CLI checks against the chosen baseline');

    // back to production
    assert.deepEqual(await c.request('driftcatcher/setBaseline', {}), { kind: 'production', version: 'v1' });
    assert.ok(!fs.existsSync(path.join(ws, '.driftcatcher', 'chosen-baseline.json')));
    await c.waitFor(() => publications().length === 3);
    assert.ok((publications()[2].params as { diagnostics: unknown[] }).diagnostics.length > 0, 'drifted against v1 again');
  });

  it('a deploy by another process (the CLI) reaches the clients: modelsChanged, baselineChanged, open CSVs re-checked', async () => {
    c = new LspClient();
    const ws = await deployedWorkspace(c);
    await c.request('driftcatcher/train', { baseData: 'data/base.csv', newData: ['data/drifted.csv'], holdout: 'data/holdout.csv' });
    const uri = pathToFileURL(path.join(ws, 'data', 'drifted.csv')).href;
    const publications = () => c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri);
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csv', version: 1, text: fs.readFileSync(path.join(ws, 'data', 'drifted.csv'), 'utf8') } });
    await c.waitFor(() => publications().length === 1);
    const seen = c.notifications.length;
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'deploy', '--version', 'v2', '--workspace', ws], { cwd: ws, stdio: 'ignore' });
    // the training's own modelsChanged (production still v1) may arrive after `seen`: wait for the deploy's
    const deployed = (n: Message) => n.method === 'driftcatcher/modelsChanged' && (n.params as { production?: string }).production === 'v2';
    await c.waitFor((n) => c.notifications.indexOf(n) >= seen && deployed(n), 10_000);
    const baseline = await c.waitFor((n) => c.notifications.indexOf(n) >= seen && n.method === 'driftcatcher/baselineChanged', 10_000);
    assert.deepEqual(baseline.params, { kind: 'production', version: 'v2' });
    await c.waitFor(() => publications().length === 2, 10_000);
    // told once, not once per file the deploy wrote
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(c.notifications.slice(seen).filter(deployed).length, 1);
    assert.equal(publications().length, 2);
  });

  it('maps bad params and engine errors to JSON-RPC errors with data.code', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    await c.initialize(ws);
    const bad = await rpcError(c.request('driftcatcher/checkDrift', { current: 42 }));
    assert.equal(bad.code, -32602);
    assert.equal(bad.data?.code, 'BAD_INPUT');
    assert.match(bad.message, /current/);
    const missing = await rpcError(c.request('driftcatcher/checkDrift', { current: 'nope.csv' }));
    assert.equal(missing.data?.code, 'NOT_FOUND');
    const gate = await rpcError(c.request('driftcatcher/deploy', {}));
    assert.equal(gate.code, -32803);
    assert.equal(gate.data?.code, 'REGISTRY');
    const unknown = await rpcError(c.request('driftcatcher/nope', {}));
    assert.equal(unknown.code, -32601);
  });
});

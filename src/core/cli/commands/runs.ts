import type { CliCommand } from '../command';
import type { DemoStep } from './demo';
import { localMetricHistory, localRuns } from '../../tracking/queries';
import { EXPERIMENTS } from '../../tracking/pipelineRuns';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { trackingRoot } from '../../tracking/store';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { textTable } from '../output';

export const runsCommand: CliCommand = {
  name: 'runs',
  usage: 'runs [--experiment NAME]',
  summary: 'List the tracked runs (MLflow format in ./mlruns): drift checks, trainings, agent reasoning and plans',
  options: { experiment: { type: 'string' } },
  async run(cli) {
    const ctx = engineContextFor(cli);
    const runs = await callOperation(ctx, Methods.listRuns, { experiment: stringFlag(cli, 'experiment') });
    if (wantsJson(cli)) {
      cli.stdout(JSON.stringify(runs, null, 2) + '\n');
      return 0;
    }
    if (runs.length === 0) {
      cli.stdout(`no tracked runs in ${trackingRoot(ctx)} yet (drift checks and trainings are tracked automatically)\n`);
      return 0;
    }
    const shown = (m: Record<string, number>) =>
      Object.entries(m)
        .slice(0, 4)
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
        .join(' ');
    const rows = runs.map((r) => [
      new Date(r.start_time).toISOString().replace('T', ' ').slice(0, 19),
      r.experiment,
      r.name,
      r.status,
      r.run_id.slice(0, 8),
      shown(r.metrics),
    ]);
    cli.stdout(textTable(['started', 'experiment', 'run', 'status', 'id', 'metrics'], rows));
    cli.stdout(`\nopen them in MLflow: mlflow ui --backend-store-uri ${trackingRoot(ctx)}\n`);
    return 0;
  },
};

/** `driftcatcher demo`: what the steps before it tracked, and the drift-over-time series the dashboard plots */
export const runsDemoStep: DemoStep = {
  name: 'Show the tracked runs (MLflow format, ./mlruns)',
  async run(s) {
    const root = trackingRoot(s.ctx);
    const runs = localRuns(s.ctx.workspace, undefined, root);
    const byExp = new Map<string, number>();
    for (const r of runs) byExp.set(r.experiment, (byExp.get(r.experiment) ?? 0) + 1);
    const psi = localMetricHistory(s.ctx.workspace, EXPERIMENTS.drift, 'overall_psi', root).map((p) => p.value.toFixed(3));
    return [
      ...[...byExp].map(([e, n]) => `${e}: ${n} run(s)`),
      ...(psi.length ? [`overall_psi over time: ${psi.join(' -> ')}`] : []),
      `open them: mlflow ui --backend-store-uri ${root}`,
    ];
  },
};

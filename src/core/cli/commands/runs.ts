import type { CliCommand } from '../command';
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

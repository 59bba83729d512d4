import type { CliCommand } from '../command';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { wantsJson } from '../flags';
import { textTable } from '../output';
import { fmt } from '../../util/format';

export const modelsCommand: CliCommand = {
  name: 'models',
  usage: 'models',
  summary: 'List the model versions in the registry with their status and metrics',
  options: {},
  async run(cli) {
    const models = await callOperation(engineContextFor(cli), Methods.listModels, {});
    if (wantsJson(cli)) {
      cli.stdout(JSON.stringify(models, null, 2) + '\n');
      return 0;
    }
    if (models.length === 0) {
      cli.stdout('no models yet (run: driftcatcher train --base-data B.csv)\n');
      return 0;
    }
    const rows = models.map((m) => [
      m.version,
      m.status,
      m.created_at.replace('T', ' ').slice(0, 19),
      fmt(m.metrics.accuracy),
      fmt(m.metrics.f1),
      // all rows of the cleaned training data (train + test split), the same count `train` reports
      `${m.train_rows + m.metrics.rows} (${m.train_rows} + ${m.metrics.rows})`,
      m.validation ? (m.validation.passed ? 'passed' : 'failed') : '—',
    ]);
    cli.stdout(textTable(['version', 'status', 'created', 'accuracy', 'f1', 'rows (train + test)', 'gate'], rows));
    return 0;
  },
};

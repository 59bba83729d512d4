import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { Methods } from '../../protocol';
import { formatSimulation } from '../../agent/format';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress } from '../output';
import { invoke } from '../paths';

/** `driftcatcher simulate CURRENT [--where SQL]` (any data source): the digital twin — the whole loop in a sandbox copy, production untouched. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: 'simulate CURRENT [--where "SQL"] (CURRENT: a CSV or Parquet file, a glob or folder, or a table URI)',
  summary: 'Digital twin: run drift → reason → retrain → validate → deploy in a sandbox and show what would change',
  options: { where: { type: 'string' } },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('usage: driftcatcher simulate CURRENT [--where "SQL"]', 'BAD_INPUT');
    const json = wantsJson(cli);
    const result = await invoke(cli, engineContextFor(cli), Methods.simulate, { current: cli.args[0], where: stringFlag(cli, 'where') });
    endProgress(cli);
    cli.stdout(json ? JSON.stringify(result, null, 2) + '\n' : formatSimulation(result).join('\n') + '\n');
    return 0;
  },
};

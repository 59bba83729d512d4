import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { simulate } from '../../agent/operations';
import { realTools } from '../../agent/realTools';
import { formatSimulation } from '../../agent/format';
import { endProgress, engineContextFor, wantsJson } from './modelCli';

/** `driftcatcher simulate CURRENT.csv`: the digital twin — the whole loop in a sandbox copy, production untouched. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: 'simulate CURRENT.csv',
  summary: 'Digital twin: run drift → reason → retrain → validate → deploy in a sandbox and show what would change',
  options: {},
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('usage: driftcatcher simulate CURRENT.csv', 'BAD_INPUT');
    const json = wantsJson(cli);
    const result = await simulate(engineContextFor(cli), { current: cli.args[0] }, realTools);
    endProgress(cli);
    cli.stdout(json ? JSON.stringify(result, null, 2) + '\n' : formatSimulation(result).join('\n') + '\n');
    return 0;
  },
};

import type { CliCommand } from '../command';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { DriftCatcherError } from '../../util/errors';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress } from '../output';

export const profileCommand: CliCommand = {
  name: 'profile',
  usage: 'profile BASELINE.csv -o PROFILE.json [--label COL]',
  summary: 'Profile a baseline CSV (statistics, PSI bins, quantile sketch) and save it as JSON',
  options: { output: { type: 'string', short: 'o' }, label: { type: 'string' } },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError(`profile takes one baseline CSV (got ${cli.args.length} arguments)`, 'BAD_INPUT');
    const ctx = engineContextFor(cli);
    const res = await callOperation(ctx, Methods.profileBaseline, { baseline: cli.args[0], output: stringFlag(cli, 'output'), label: stringFlag(cli, 'label') });
    endProgress(cli);
    cli.stdout(wantsJson(cli) ? JSON.stringify(res) + '\n' : `profiled ${res.rows} rows, ${res.features} features -> ${res.output}\n`);
    return 0;
  },
};

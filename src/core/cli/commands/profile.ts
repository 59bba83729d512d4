import type { CliCommand } from '../command';
import { Methods } from '../../protocol';
import { DriftCatcherError } from '../../util/errors';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress } from '../output';
import { invoke, shownPath } from '../paths';

export const profileCommand: CliCommand = {
  name: 'profile',
  usage: 'profile BASELINE -o PROFILE.json [--label COL] [--where "SQL predicate"]',
  summary: 'Profile a baseline (CSV, Parquet, glob, folder or table) and save it as JSON',
  options: { output: { type: 'string', short: 'o' }, label: { type: 'string' }, where: { type: 'string' } },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError(`profile takes one baseline (got ${cli.args.length} arguments)`, 'BAD_INPUT');
    const ctx = engineContextFor(cli);
    const res = await invoke(cli, ctx, Methods.profileBaseline, { baseline: cli.args[0], output: stringFlag(cli, 'output'), label: stringFlag(cli, 'label'), where: stringFlag(cli, 'where') });
    endProgress(cli);
    cli.stdout(wantsJson(cli) ? JSON.stringify(res) + '\n' : `profiled ${res.rows} rows, ${res.features} features -> ${shownPath(cli, res.output)}\n`);
    return 0;
  },
};

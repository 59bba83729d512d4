import type { CliCommand } from '../command';
import { predictFile } from '../../model/predict';
import { DriftCatcherError } from '../../util/errors';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress } from '../output';
import { cliPath, shownPath } from '../paths';

export const predictCommand: CliCommand = {
  name: 'predict',
  usage: 'predict [--version vN] CURRENT.csv -o predictions.csv',
  summary: 'Score a CSV with a model version (default: production); writes row, predicted label and class probabilities',
  options: { version: { type: 'string' }, output: { type: 'string', short: 'o' } },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('predict needs exactly one input CSV', 'BAD_INPUT');
    const r = await predictFile(engineContextFor(cli), { version: stringFlag(cli, 'version'), input: cliPath(cli, cli.args[0]), output: cliPath(cli, stringFlag(cli, 'output', true)) });
    endProgress(cli);
    const dist = Object.entries(r.predicted).map(([c, n]) => `${c} ${n}`).join(', ');
    cli.stdout(wantsJson(cli) ? JSON.stringify(r, null, 2) + '\n' : `wrote ${shownPath(cli, r.output)}: ${r.rows} rows scored by ${r.version} (${dist})\n`);
    return 0;
  },
};

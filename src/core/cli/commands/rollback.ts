import type { CliCommand } from '../command';
import { rollback } from '../../model/operations';
import { engineContextFor, versionLine, wantsJson } from './modelCli';

export const rollbackCommand: CliCommand = {
  name: 'rollback',
  usage: 'rollback',
  summary: 'Switch production back to the previous production model version',
  options: {},
  async run(cli) {
    const m = await rollback(engineContextFor(cli), {});
    cli.stdout(wantsJson(cli) ? JSON.stringify(m, null, 2) + '\n' : `production: ${versionLine(m)}\n`);
    return 0;
  },
};

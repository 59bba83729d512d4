import type { CliCommand } from '../command';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { wantsJson } from '../flags';
import { versionLine } from '../output';

export const rollbackCommand: CliCommand = {
  name: 'rollback',
  usage: 'rollback',
  summary: 'Switch production back to the previous production model version',
  options: {},
  async run(cli) {
    const m = await callOperation(engineContextFor(cli), Methods.rollback, {});
    cli.stdout(wantsJson(cli) ? JSON.stringify(m, null, 2) + '\n' : `production: ${versionLine(m)}\n`);
    return 0;
  },
};

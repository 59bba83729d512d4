import type { CliCommand } from '../command';
import { deploy } from '../../model/operations';
import { engineContextFor, stringFlag, versionLine, wantsJson } from './modelCli';

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: 'deploy [--version vN]',
  summary: 'Put a validated model version into production (default: the newest candidate)',
  options: { version: { type: 'string' } },
  async run(cli) {
    const m = await deploy(engineContextFor(cli), { version: stringFlag(cli, 'version') });
    cli.stdout(wantsJson(cli) ? JSON.stringify(m, null, 2) + '\n' : `production: ${versionLine(m)}\n`);
    return 0;
  },
};

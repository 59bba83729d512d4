import type { CliCommand } from '../command';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { versionLine } from '../output';

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: 'deploy [--version vN]',
  summary: 'Put a validated model version into production (default: the newest candidate)',
  options: { version: { type: 'string' } },
  async run(cli) {
    const m = await callOperation(engineContextFor(cli), Methods.deploy, { version: stringFlag(cli, 'version') });
    cli.stdout(wantsJson(cli) ? JSON.stringify(m, null, 2) + '\n' : `production: ${versionLine(m)}\n`);
    return 0;
  },
};

import type { CliCommand, CliContext } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { cronError } from '../../watch/schedule';
import { numberFlag, stringFlag } from '../flags';
import { packageVersion } from '../../util/version';
import { cliPath } from '../paths';
import { cliTrust } from '../trust';

/**
 * `driftcatcher watch DIR… [--interval S] [--schedule CRON]`: the headless daemon. Each new CSV batch in the folders
 * goes to the agent (drift check → decision → plan within the configured autonomy); state in
 * .driftcatcher/watch-state.json, so a restart does not process a batch twice. Runs until SIGTERM / SIGINT.
 */
export const watchCommand: CliCommand = {
  name: 'watch',
  usage: 'watch DIR… [--interval S] [--schedule CRON] [--http [HOST:]PORT] [--grace S] [--trust-workspace-llm] [--trust-workspace-sources] [--trust-source-host HOST[:PORT]]',
  summary: 'Headless daemon: check every new batch in the folders and let the agent act (until SIGTERM)',
  options: { interval: { type: 'string' }, schedule: { type: 'string' }, http: { type: 'string' }, grace: { type: 'string' } },
  async run(cli) {
    if (!cli.args.length) throw new DriftCatcherError('watch needs at least one folder (usage: driftcatcher watch DIR… [--interval S] [--schedule CRON])', 'BAD_INPUT');
    const schedule = stringFlag(cli, 'schedule');
    const bad = schedule === undefined ? undefined : cronError(schedule);
    if (bad) throw new DriftCatcherError(`--schedule '${schedule}' is not a cron schedule: ${bad}`, 'BAD_INPUT');
    const interval = numberFlag(cli, 'interval', (n) => Number.isInteger(n) && n >= 1, 'a whole number of seconds ≥ 1');
    const http = stringFlag(cli, 'http');
    // the HTTP stack (fastify, @fastify/swagger, prom-client) loads only for the commands that run it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseListen, startDaemon } = require('../../service/daemon') as typeof import('../../service/daemon');
    const daemon = await startDaemon({
      workspace: cli.workspace,
      http: http === undefined ? undefined : parseListen(http),
      // folders on the command line are relative to the current directory, like every path the CLI takes
      watch: { folders: cli.args.map((a) => cliPath(cli, a)), intervalSeconds: interval, schedule },
      graceSeconds: graceFlag(cli),
      version: packageVersion(),
      stderr: cli.stderr,
      // the folders are local; endpoints, database hosts and the HTTP API's requests need the trust flags
      trust: cliTrust({ flags: cli.flags, args: [] }),
    });
    return daemon.exited;
  },
};

/** --grace S: how long running work may take to finish on SIGTERM before it is cancelled (default 30 s) */
export function graceFlag(cli: CliContext): number {
  return numberFlag(cli, 'grace', (n) => n >= 0 && n <= 3600, 'seconds between 0 and 3600') ?? 30;
}

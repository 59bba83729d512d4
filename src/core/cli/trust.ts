import { HOST_PORT, type TrustState } from '../config';
import { hostPort } from '../sources/credentials';
import { parseSource } from '../sources/uri';
import { DriftCatcherError } from '../util/errors';
import type { CliContext } from './command';
import { flagStrings } from './flags';

/**
 * What a CLI run trusts, from the flags every command takes (the same for one-shot commands, watch, serve and mcp):
 * --trust-workspace-llm (endpoints in driftcatcher.config.json get your API key), --trust-workspace-sources (database
 * hosts the workspace or a request names get your database credentials), --trust-source-host HOST[:PORT] (this host
 * gets them). Database hosts in table URIs typed on the command line are the user's choice as well.
 */
export function cliTrust(cli: Pick<CliContext, 'flags' | 'args'>): TrustState {
  return {
    endpoints: cli.flags['trust-workspace-llm'] === true,
    sources: cli.flags['trust-workspace-sources'] === true,
    restricted: false,
    sourceHosts: [...flagHosts(cli.flags['trust-source-host']), ...typedHosts(cli)],
  };
}

function flagHosts(v: CliContext['flags'][string]): string[] {
  const values = flagStrings(v).flatMap((s) => s.split(',')).map((s) => s.trim());
  for (const h of values) {
    if (!HOST_PORT.test(h)) throw new DriftCatcherError(`--trust-source-host '${h}' is not a host: give HOST or HOST:PORT (IPv6 as [::1]:8123)`, 'BAD_INPUT');
  }
  return values;
}

/** the ClickHouse / PostgreSQL hosts named by the command line's arguments and flag values */
function typedHosts(cli: Pick<CliContext, 'flags' | 'args'>): string[] {
  const values = [...cli.args, ...Object.values(cli.flags).flatMap(flagStrings)];
  const hosts: string[] = [];
  for (const v of values) {
    if (!/^\s*(clickhouse|postgres(ql)?):\/\//i.test(v)) continue;
    try {
      const spec = parseSource(v, { workspace: '.' });
      if (spec.kind === 'clickhouse' || spec.kind === 'postgresql') hosts.push(hostPort(spec.host, spec.port));
    } catch {
      // a malformed URI fails with its own message where the command reads it
    }
  }
  return hosts;
}

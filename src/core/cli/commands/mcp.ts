import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CliCommand } from '../command';
import { loadConfig } from '../../config';
import { createMcpServer, type OperationRunner } from '../../mcp/server';
import { operations, parseParams, type Method, type ResultOf } from '../../operations';
import { WorkspacePaths } from '../../server/workspacePaths';
import { CancelledError } from '../../util/errors';
import { isDriftReport, rememberReport } from '../../server/lastReport';

/**
 * `driftcatcher mcp`: an MCP server over stdio for AI agents (Claude Desktop, VS Code, Cursor, …), on the
 * workspace given by --workspace or the current folder. stdout carries only MCP messages; logs go to stderr.
 */
export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: 'mcp [--workspace DIR]',
  summary: 'Serve DriftCatcher\'s tools to AI agents over the Model Context Protocol (stdio)',
  options: {},
  async run(cli) {
    const workspace = cli.workspace;
    const config = () => loadConfig(workspace);
    config(); // a broken config is an error now, not at the first tool call
    const runner = inProcessRunner(workspace, config);
    const server = createMcpServer({ runner, config, version: require('../../../../package.json').version, log: (m) => cli.stderr(`${m}\n`) });
    const transport = new StdioServerTransport();
    await server.connect(transport);
    return new Promise<number>((resolve) => {
      // the client closed stdin (disconnected): in-flight calls are aborted by the SDK, then we exit
      transport.onclose = () => resolve(0);
      process.stdin.once('end', () => void server.close());
    });
  },
};

function inProcessRunner(workspace: string, config: () => ReturnType<typeof loadConfig>): OperationRunner {
  const paths = new WorkspacePaths([workspace]);
  return {
    workspace: paths.primary,
    async run<M extends Method>(method: M, raw: unknown, opts: { signal: AbortSignal; progress?: (p: number | undefined, m: string) => void }) {
      const op = operations[method];
      const params = parseParams(method, raw) as Record<string, unknown>;
      for (const field of op.paths ?? []) {
        const v = params[field];
        if (typeof v === 'string') params[field] = paths.resolve(v, field);
        else if (Array.isArray(v)) params[field] = v.map((p, i) => paths.resolve(String(p), `${field}[${i}]`));
      }
      const result = await op.run({ workspace: paths.primary, config: config(), signal: opts.signal, progress: opts.progress }, params as never);
      if (opts.signal.aborted) throw new CancelledError(method);
      if (op.effects?.includes('report')) {
        const report = isDriftReport(result) ? result : (result as { report?: unknown }).report;
        if (isDriftReport(report)) rememberReport(paths.primary, report);
      }
      return result as ResultOf<M>;
    },
  };
}

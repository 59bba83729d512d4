import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CliCommand } from '../command';
import { loadConfig } from '../../config';
import { createMcpServer } from '../../mcp/server';
import { OperationHost } from '../../server/operationHost';
import { WorkspacePaths } from '../../server/workspacePaths';
import { cliTrust } from '../trust';
import { packageVersion } from '../../util/version';

/**
 * `driftcatcher mcp`: an MCP server over stdio for AI agents (Claude Desktop, VS Code, Cursor, …), on the
 * workspace given by --workspace or the current folder. stdout carries only MCP messages; logs go to stderr.
 */
export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: 'mcp [--workspace DIR] [--trust-workspace-llm] [--trust-workspace-sources] [--trust-source-host HOST[:PORT]]',
  summary: 'Serve DriftCatcher\'s tools to AI agents over the Model Context Protocol (stdio)',
  options: {},
  async run(cli) {
    const workspace = cli.workspace;
    // an agent's tool calls are requests: the hosts they name get database credentials only with a trust flag
    const trust = cliTrust({ flags: cli.flags, args: [] });
    const config = () => loadConfig(workspace, {}, process.env, trust);
    config(); // a broken config is an error now, not at the first tool call
    // the operation host of the JSON-RPC and HTTP servers: params validated, paths confined, heavy work in worker threads
    const runner = new OperationHost(new WorkspacePaths([workspace]), config, {
      notify: () => undefined, // MCP clients hear progress and results, not engine notifications
      log: (m) => cli.stderr(`${m}\n`),
    });
    const { server, settled } = createMcpServer({ runner, config, version: packageVersion(), log: (m) => cli.stderr(`${m}\n`) });
    const transport = new StdioServerTransport();
    await server.connect(transport);
    return new Promise<number>((resolve) => {
      // the client closed stdin (disconnected): the SDK aborts the calls in flight (server.onclose runs after that);
      // we exit once their jobs have cancelled and cleaned up. transport.onclose belongs to the SDK: never replace it.
      server.onclose = () => void settled().then(() => resolve(0));
      process.stdin.once('end', () => void server.close());
    });
  },
};

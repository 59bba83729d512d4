import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode as McpErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Method, ResultOf } from '../operations';
import { describeIssue } from '../params';
import { DriftCatcherError, errorMessage } from '../util/errors';
import { checkGuard } from './guard';
import { readResource, resourceList } from './resources';
import { agentTool, agentTools, toolAnnotations, toolDescription, toolInputSchema, type AgentTool } from './tools';
import { toolOutput } from './toolOutput';
import type { OperationRunner } from './runner';

/**
 * `driftcatcher mcp`: DriftCatcher's tools and resources for any MCP client (Claude Desktop, VS Code, Cursor, …).
 * Every tool is one engine operation run by the same host as the JSON-RPC and HTTP servers (params validated,
 * paths confined to the workspace, heavy work in worker threads with progress and cancellation), behind the guard
 * rail of the workspace's configured autonomy (guard.ts).
 */

export type { OperationRunner } from './runner';

export interface McpOptions {
  runner: OperationRunner;
  /** the workspace's configuration as of now (autonomy is read at every call, so an edit takes effect at once) */
  config: () => Config;
  version: string;
  log?: (message: string) => void;
}

/** The MCP server plus a way to wait until every tool call in flight has finished (after a disconnect aborted them). */
export interface McpServerHandle {
  server: Server;
  settled(): Promise<void>;
}

export function createMcpServer(opts: McpOptions): McpServerHandle {
  const inFlight = new Set<Promise<unknown>>();
  const server = new Server(
    { name: 'driftcatcher', title: 'DriftCatcher', version: opts.version },
    {
      capabilities: { tools: {}, resources: {}, logging: {} },
      instructions:
        'DriftCatcher watches a deployed ML model for data drift in this workspace. Start with check_drift (or explain_drift) on a ' +
        'current data file; decide asks the reasoning engine what to do; simulate runs the whole retrain loop in a sandbox. ' +
        "Tools that change production obey the workspace's autonomy setting and the validation gate.",
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: agentTools.map((t) => ({
      name: t.name,
      title: t.title,
      description: toolDescription(t),
      inputSchema: toolInputSchema(t),
      annotations: toolAnnotations(t),
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = agentTool(request.params.name);
    if (!tool) {
      throw new McpError(McpErrorCode.InvalidParams, `unknown tool '${request.params.name}'; the tools are ${agentTools.map((t) => t.name).join(', ')}`);
    }
    const args = parseArgs(tool, request.params.arguments);
    const progressToken = request.params._meta?.progressToken;
    const progress =
      progressToken === undefined
        ? undefined
        : (percentage: number | undefined, message: string) => {
            const note: ServerNotification = {
              method: 'notifications/progress',
              params: { progressToken, progress: percentage ?? 0, total: 100, message },
            };
            void extra.sendNotification(note).catch(() => undefined);
          };
    try {
      const config = opts.config();
      await checkGuard(tool, args, config.agent.autonomy, confirmer(server));
      const params = tool.toParams ? tool.toParams(args, config.agent.autonomy) : args;
      const run = opts.runner.run(tool.method, params, { signal: extra.signal, progress });
      // kept until settled: on disconnect the process exits only once a cancelled job has removed its partial files
      const tracked = run.catch(() => undefined).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      const result = await run;
      return toolOutput(tool, result);
    } catch (e) {
      if (extra.signal.aborted) throw new McpError(McpErrorCode.RequestTimeout, `${tool.name} was cancelled; nothing was changed`);
      // an engine refusal or failure is the tool's answer (the agent reads it and can act on it), not a protocol error
      return { isError: true, content: [{ type: 'text', text: `${tool.name}: ${errorMessage(e)}` }] };
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: resourceList() }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
      return await readResource(opts.runner, request.params.uri);
    } catch (e) {
      throw new McpError(e instanceof DriftCatcherError && e.code === 'NOT_FOUND' ? McpErrorCode.InvalidParams : McpErrorCode.InternalError, errorMessage(e));
    }
  });
  return {
    server,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

function parseArgs(tool: AgentTool, raw: unknown): Record<string, unknown> {
  const parsed = (tool.input as z.ZodType<Record<string, unknown>>).safeParse(raw ?? {});
  if (!parsed.success) throw new McpError(McpErrorCode.InvalidParams, `${tool.name}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * A yes/no question to the person at the client, as an MCP elicitation (form with one boolean); undefined when the
 * client did not declare the elicitation capability.
 */
function confirmer(server: Server): ((message: string) => Promise<boolean>) | undefined {
  if (!server.getClientCapabilities()?.elicitation) return undefined;
  return async (message) => {
    const answer = await server.elicitInput({
      mode: 'form',
      message,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Yes, do it', description: message } },
        required: ['confirm'],
      },
    });
    return answer.action === 'accept' && answer.content?.confirm === true;
  };
}

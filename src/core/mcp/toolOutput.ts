import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DriftReport } from '../protocol';
import { publicJson } from '../cli/commands/drift';
import type { AgentTool } from './tools';

/**
 * A tool's answer: the engine's result as structured content plus the same JSON as text (for clients that read only
 * text). check_drift answers exactly what `driftcatcher drift --format json` prints, so scripts, agents and CI see
 * one contract.
 */
export function toolOutput(tool: AgentTool, result: unknown): CallToolResult {
  const value = tool.name === 'check_drift' ? publicJson(result as DriftReport) : result;
  // structured content is an object; lists (list_models) are wrapped under a name that says what they hold
  const structured = Array.isArray(value) ? { [listKey(tool)]: value } : (value as Record<string, unknown>);
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

function listKey(tool: AgentTool): string {
  return tool.name.replace(/^list_/, '');
}

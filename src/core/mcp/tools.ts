import { z } from 'zod';
import { operations, type Method, type ParamsOf } from '../operations';
import { paramSchemas } from '../params';
import type { Autonomy } from '../protocol';

/**
 * DriftCatcher's tools for AI agents (MCP, VS Code language-model tools): each is one engine operation of the
 * registry, with the arguments an agent may send and the guard rail it must pass. The input schemas are the
 * registry's own params schemas (narrowed where an agent must not reach a flag), so MCP, HTTP and the JSON-RPC
 * server validate the same way.
 *
 * Guard levels, against the workspace's configured autonomy (`agent.autonomy`), which a tool call can never raise:
 * - read: any autonomy. Reads data and reports; may write a tracked run, the latest report or a profile file.
 * - registry: `approve` or `autonomous`. Adds or rejects model versions, never changes production.
 * - production: `autonomous`; under `approve` only when a person confirms in the client (MCP elicitation);
 *   never under `suggest`. The validation gate is enforced by the engine whatever the level.
 */
export type Guard = 'read' | 'registry' | 'production';

export interface AgentTool<M extends Method = Method> {
  name: string;
  title: string;
  method: M;
  /** the arguments an agent may send (JSON-Schema-representable zod object) */
  input: z.ZodObject;
  guard: Guard;
  /** the engine params for the validated arguments; default: the arguments themselves */
  toParams?: (args: Record<string, unknown>, configured: Autonomy) => ParamsOf<M>;
  /** a plain-language line for the person asked to confirm a production change */
  confirm?: (args: Record<string, unknown>) => string;
  idempotent?: boolean;
  /** may reach beyond the workspace (an LLM endpoint) */
  openWorld?: boolean;
}

const AUTONOMY_ORDER: readonly Autonomy[] = ['suggest', 'approve', 'autonomous'];

/** the lower of two autonomy levels: an agent may ask for less than configured, never for more */
export function capAutonomy(requested: Autonomy | undefined, configured: Autonomy): Autonomy {
  if (!requested) return configured;
  return AUTONOMY_ORDER.indexOf(requested) < AUTONOMY_ORDER.indexOf(configured) ? requested : configured;
}

const tool = <M extends Method>(t: AgentTool<M>): AgentTool => t as unknown as AgentTool;

export const agentTools: readonly AgentTool[] = [
  tool({ name: 'check_drift', title: 'Check drift', method: 'driftcatcher/checkDrift', input: paramSchemas.checkDrift, guard: 'read' }),
  tool({ name: 'explain_drift', title: 'Explain drift', method: 'driftcatcher/explainDrift', input: paramSchemas.explainDrift, guard: 'read' }),
  tool({ name: 'profile_baseline', title: 'Profile a baseline', method: 'driftcatcher/profileBaseline', input: paramSchemas.profileBaseline, guard: 'read' }),
  tool({ name: 'list_models', title: 'List model versions', method: 'driftcatcher/listModels', input: paramSchemas.none, guard: 'read', idempotent: true }),
  tool({ name: 'simulate', title: 'Digital twin simulation', method: 'driftcatcher/simulate', input: paramSchemas.simulate, guard: 'read' }),
  tool({
    name: 'decide',
    title: "Ask the reasoning engine what to do",
    method: 'driftcatcher/runAgent',
    input: z.object({
      current: paramSchemas.runAgent.shape.current,
      where: paramSchemas.runAgent.shape.where,
      autonomy: paramSchemas.runAgent.shape.autonomy.describe(
        "how far the plan may run: at most the workspace's agent.autonomy (a higher value is lowered to it); default: agent.autonomy",
      ),
    }),
    guard: 'read',
    // the plan runs as far as the configured autonomy allows; a deploy under `approve` waits for a person
    toParams: (a, configured) => ({
      current: a.current as string,
      ...(typeof a.where === 'string' ? { where: a.where } : {}),
      autonomy: capAutonomy(a.autonomy as Autonomy | undefined, configured),
    }),
    openWorld: true,
  }),
  tool({ name: 'train_model', title: 'Train a candidate model', method: 'driftcatcher/train', input: paramSchemas.train, guard: 'registry' }),
  tool({ name: 'validate_model', title: 'Validate a model version', method: 'driftcatcher/validate', input: paramSchemas.validate, guard: 'registry' }),
  tool({
    name: 'deploy_model',
    title: 'Deploy a validated model version',
    method: 'driftcatcher/deploy',
    input: paramSchemas.deploy,
    guard: 'production',
    confirm: (a) => `Deploy model ${typeof a.version === 'string' ? a.version : 'the newest candidate'} to production?`,
  }),
  tool({
    name: 'rollback_model',
    title: 'Roll production back',
    method: 'driftcatcher/rollback',
    input: paramSchemas.none,
    guard: 'production',
    confirm: () => 'Roll production back to the previously deployed model version?',
  }),
  tool({
    name: 'approve_plan',
    title: 'Approve a plan waiting for approval',
    method: 'driftcatcher/approvePlan',
    input: z.object({ planId: paramSchemas.approvePlan.shape.planId }),
    guard: 'production',
    toParams: (a) => ({ planId: a.planId as string, approve: true }),
    confirm: (a) => `Approve plan ${String(a.planId)}? Its deploy step will put the validated candidate into production.`,
  }),
  tool({
    name: 'reject_plan',
    title: 'Reject a plan waiting for approval',
    method: 'driftcatcher/approvePlan',
    input: z.object({ planId: paramSchemas.approvePlan.shape.planId }),
    guard: 'registry',
    toParams: (a) => ({ planId: a.planId as string, approve: false }),
  }),
];

export function agentTool(name: string): AgentTool | undefined {
  return agentTools.find((t) => t.name === name);
}

/** The tool's description: the operation's own words, plus what the guard rail means for a caller. */
export function toolDescription(t: AgentTool): string {
  const op = operations[t.method];
  const rail: Record<Guard, string> = {
    read: '',
    registry: " Needs agent.autonomy 'approve' or 'autonomous' in the workspace's driftcatcher.config.json.",
    production:
      " Changes production: runs under agent.autonomy 'autonomous'; under 'approve' only after the user confirms in the client; " +
      "never under 'suggest'. Only a version that passed the validation gate can be deployed.",
  };
  return `${op.summary}. ${op.description}${rail[t.guard]}`;
}

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export function toolAnnotations(t: AgentTool): ToolAnnotations {
  return {
    title: t.title,
    readOnlyHint: t.guard === 'read',
    destructiveHint: t.guard === 'production',
    idempotentHint: t.idempotent === true,
    openWorldHint: t.openWorld === true,
  };
}

/** the JSON Schema an agent sees for a tool's arguments */
export function toolInputSchema(t: AgentTool): { type: 'object'; [k: string]: unknown } {
  const { $schema: _drop, ...schema } = z.toJSONSchema(t.input, { io: 'input' }) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

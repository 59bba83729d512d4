import type { Autonomy } from '../protocol';
import { DriftCatcherError } from '../util/errors';
import type { AgentTool } from './tools';

/**
 * The guard rail of an agent's tool call, decided before the engine runs anything. `confirm` asks a person
 * (through the client's UI) and resolves to true only on an explicit yes; it is undefined when the client has no
 * way to ask. The engine's own gates (validation before deploy, approvals inside plans) apply after this.
 */
export async function checkGuard(
  tool: AgentTool,
  args: Record<string, unknown>,
  autonomy: Autonomy,
  confirm: ((message: string) => Promise<boolean>) | undefined,
): Promise<void> {
  if (tool.guard === 'read' || autonomy === 'autonomous') return;
  const setting = `agent.autonomy is '${autonomy}' in this workspace`;
  if (autonomy === 'suggest') {
    throw new DriftCatcherError(
      `refused: ${setting}, so DriftCatcher only recommends and changes nothing; ` +
        `use check_drift / decide / simulate, or have a person raise agent.autonomy in driftcatcher.config.json`,
      'REGISTRY',
    );
  }
  if (tool.guard === 'registry') return; // approve: retraining and validation may run, production waits for a person
  const question = tool.confirm?.(args) ?? `Run ${tool.name}?`;
  if (!confirm) {
    throw new DriftCatcherError(
      `refused: ${setting}, so a person must approve production changes, and this client cannot ask for confirmation; ` +
        `approve it in VS Code (DriftCatcher: Approve Pending Plan) or with the CLI (driftcatcher agent approve PLAN_ID)`,
      'REGISTRY',
    );
  }
  if (!(await confirm(question))) {
    throw new DriftCatcherError(`not run: the person declined ("${question}")`, 'REGISTRY');
  }
}

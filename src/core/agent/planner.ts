import type { Autonomy, Decision, ModelVersion, Plan, PlanStep, ToolName } from '../protocol';
import { newId } from './planStore';

/**
 * The planning agent's first half: a decision's action becomes a plan, by code, never by the LLM.
 * Every plan that deploys has validate_model between retrain_model and deploy_model, and deploy_model depends on it;
 * the executor checks that gate again before it deploys.
 *
 *   MONITOR:          check → notify
 *   RETRAIN(_URGENT): check → retrain → validate → deploy → baseline → notify
 *
 * Step arguments may refer to an earlier step's result as `{"$ref": "<step id>.<field>"}` (e.g. the version that
 * retrain_model produced), resolved when the step runs.
 */
export interface PlanInputs {
  /** the current data: a CSV, or any source (sources/currentBatch.ts) */
  current: string;
  /** the --where of a Parquet or table source: the drift check and the retrain select the same rows */
  where?: string;
  /** how `current` is named in the goal and messages: workspace-relative (default: `current` itself) */
  shown?: string;
  autonomy: Autonomy;
  production?: ModelVersion;
  /** the data the production model was trained on (its combined baseline), workspace-relative or absolute */
  baseData?: string;
  /** the labelled holdout the validation gate uses (default: the holdout ledger's newest batches) */
  holdout?: string;
  label?: string;
  now?: Date;
}

export interface Ref {
  $ref: string;
}

export function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).$ref === 'string' && Object.keys(v).length === 1;
}

const ref = (path: string): Ref => ({ $ref: path });

function step(id: string, tool: ToolName, args: Record<string, unknown>, depends_on: string[]): PlanStep {
  return { id, tool, args, depends_on, status: 'pending', attempts: 0 };
}

export function buildPlan(decision: Pick<Decision, 'id' | 'action'>, inputs: PlanInputs): Plan {
  const now = (inputs.now ?? new Date()).toISOString();
  const selected = inputs.where !== undefined ? { where: inputs.where } : {};
  const steps: PlanStep[] = [step('check', 'check_drift', { current: inputs.current, ...selected }, [])];
  const shown = inputs.shown ?? inputs.current;
  let goal: string;
  let urgency: Plan['urgency'];
  if (decision.action === 'MONITOR') {
    goal = `Keep monitoring: no retrain for ${shown}`;
    urgency = 'low';
    steps.push(step('notify', 'notify', { message: `Decision ${decision.id}: MONITOR — no action on ${shown}` }, ['check']));
  } else {
    const holdout = inputs.holdout ?? null;
    const baseData = inputs.baseData ?? null;
    goal = `Retrain on ${shown}, validate against production on held-out rows of the newest batches, deploy only if the gate passes`;
    urgency = decision.action === 'RETRAIN_URGENT' ? 'high' : 'normal';
    steps.push(
      // no holdout here: train would validate on its own, and validation is the next step's job
      step('retrain', 'retrain_model', { baseData, newData: [inputs.current], ...selected, label: inputs.label ?? inputs.production?.label ?? null }, ['check']),
      step('validate', 'validate_model', { version: ref('retrain.version'), holdout }, ['retrain']),
      step('deploy', 'deploy_model', { version: ref('retrain.version') }, ['validate']),
      step('baseline', 'version_baseline', { modelVersion: ref('retrain.version') }, ['deploy']),
      step('notify', 'notify', { message: `Decision ${decision.id}: ${decision.action} — deployed`, version: ref('retrain.version') }, ['baseline']),
    );
  }
  return {
    id: newId('plan', inputs.now),
    decision_id: decision.id,
    goal,
    urgency,
    autonomy: inputs.autonomy,
    status: 'planned',
    steps,
    created_at: now,
    updated_at: now,
  };
}

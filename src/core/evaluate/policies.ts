import type { EngineContext } from '../engine';
import type { Action, DriftReport, ModelVersion } from '../protocol';
import { summariseEstimate, type AccuracyEstimate } from '../agent/cbpe';
import type { RealisedAccuracy } from '../agent/realised';
import { buildContext, retrainValue, type DecisionContext } from '../agent/context';
import { reason } from '../agent/reasoning';
import type { AgentTools } from '../agent/tools';
import { severityAtLeast } from '../drift/driftReport';
import { gateChecks } from '../model/gate';
import { DriftCatcherError } from '../util/errors';
import type { ReplayModel, ReplaySettings } from './replayModel';
import type { ReplayStream } from './stream';

/**
 * The retraining policies compared by the replay. Each sees what the agent would see for a new batch — the drift
 * report against the deployed model's training profile and the label-free (CBPE) accuracy estimate — and never
 * the batch's labels; those arrive after the decision, so the previous batch's realised accuracy is known.
 */
export interface PolicyInput {
  batch: number;
  file: string;
  drift: DriftReport;
  estimate: AccuracyEstimate | null;
  /** the deployed model's realised accuracy on the previous batch, when it predicted that batch (labels arrive after the decision) */
  realised: RealisedAccuracy | null;
  deployed: ReplayModel;
  stream: ReplayStream;
  settings: ReplaySettings;
  /** the outcomes of this replay's earlier retrains, oldest first */
  history: { deployed: boolean; gain_points: number | null }[];
}

export interface PolicyDecision {
  retrain: boolean;
  /** what decided, e.g. the agent's action and source */
  reason: string;
}

export interface RetrainPolicy {
  name: PolicyName;
  decide(ctx: EngineContext, input: PolicyInput): Promise<PolicyDecision>;
}

export const POLICY_NAMES = ['never', 'always', 'psi', 'agent'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const neverPolicy: RetrainPolicy = { name: 'never', decide: async () => ({ retrain: false, reason: 'never retrains' }) };

export const alwaysPolicy: RetrainPolicy = { name: 'always', decide: async () => ({ retrain: true, reason: 'retrains on every batch' }) };

/** Retrain when the overall PSI reaches the moderate threshold or the overall severity is at least moderate. */
export const psiPolicy: RetrainPolicy = {
  name: 'psi',
  async decide(_ctx, { drift }) {
    const o = drift.overall;
    const retrain = o.psi_mean >= drift.thresholds.moderate || severityAtLeast(o.severity, 'moderate');
    return { retrain, reason: `PSI mean ${o.psi_mean.toFixed(3)}, max ${o.psi_max.toFixed(3)}, severity ${o.severity}` };
  },
};

/**
 * DriftCatcher's agent: the same decision context and reasoning (LLM when a key is configured, else the rule
 * policy) as `driftcatcher agent`, on the replay's in-memory model. Replay time: batch t happens t hours after
 * batch 0, so agent.minHoursBetweenRetrains counts batches; the maintenance window is a wall-clock rule and is
 * off during replay. Failed plans in the user's workspace do not apply to a replay (risk K1 is reset).
 */
export const agentPolicy: RetrainPolicy = {
  name: 'agent',
  async decide(ctx, input) {
    const context = await replayContext(ctx, input);
    const { decision } = await reason(replayEngine(ctx), context);
    const retrain = decision.action !== ('MONITOR' satisfies Action);
    return { retrain, reason: `${decision.action} (${decision.source}): ${decision.rationale}` };
  },
};

export const POLICIES: Record<PolicyName, RetrainPolicy> = { never: neverPolicy, always: alwaysPolicy, psi: psiPolicy, agent: agentPolicy };

/** Replay clock: batch t is t hours after batch 0. */
export const REPLAY_EPOCH = Date.UTC(2017, 6, 3);
export const replayTime = (batch: number): Date => new Date(REPLAY_EPOCH + batch * 3_600_000);

function replayEngine(ctx: EngineContext): EngineContext {
  return { ...ctx, config: { ...ctx.config, agent: { ...ctx.config.agent, maintenanceWindow: '' } } };
}

/** The agent's decision context (agent/context.ts) for a replay step, with the estimate computed in memory. */
export async function replayContext(ctx: EngineContext, input: PolicyInput): Promise<DecisionContext> {
  const production = replayModelVersion(input);
  const built = await buildContext(replayEngine(ctx), replayTools(production), { current: input.file, report: input.drift, now: replayTime(input.batch), history: input.history });
  const { estimate_unavailable: unavailable, ...rest } = built;
  const e = input.estimate && summariseEstimate(input.estimate);
  return {
    ...rest,
    estimate: e,
    // the builder had neither the in-memory estimate nor the realised accuracy: the retrain's value follows them
    value: { ...rest.value, ...retrainValue(e, input.history, ctx.config.agent.retrainCostPoints, input.realised) },
    ...(e ? {} : { estimate_unavailable: unavailable ?? 'no estimate' }),
    realised: input.realised,
    risk: { ...rest.risk, recent_failed_plans: 0 },
  };
}

/** The deployed replay model as the registry entry the context builder reads. */
function replayModelVersion({ deployed, stream, settings, batch }: PolicyInput): ModelVersion {
  const checks = gateChecks({ candidate: deployed.metrics }, settings.validation);
  const created = replayTime(deployed.trainedAt).toISOString();
  const importances = deployed.forest.featureImportances();
  return {
    version: `replay-${deployed.trainedAt}`,
    status: 'production',
    created_at: created,
    metrics: deployed.metrics,
    validation: {
      version: `replay-${deployed.trainedAt}`,
      passed: checks.every((c) => c.passed),
      checks,
      holdout: { path: '(replay holdout)', rows: deployed.holdout.y.length },
      candidate_metrics: deployed.metrics,
      validated_at: created,
    },
    lineage: [{ path: stream.dir, rows: deployed.inputRows, sha256: '' }],
    train_rows: deployed.trainRows,
    train_seconds: deployed.trainSeconds,
    features: stream.features,
    // impurity importance, so drift is weighed by what the model uses (as for a registry model)
    columns: stream.features.map((name, f) => ({ name, kind: 'numeric', importance: importances[f] ?? 0 })),
    label: stream.labelColumn,
    classes: stream.classes,
    trees: settings.trees,
    deployed_at: replayTime(Math.min(batch, deployed.trainedAt + 1)).toISOString(),
  };
}

/** Only `production` is needed to build a context; a replay never acts through the agent's tools. */
function replayTools(production: ModelVersion): AgentTools {
  const refuse = async (): Promise<never> => {
    throw new DriftCatcherError('the replay evaluation does not act on the workspace');
  };
  return {
    production: async () => production,
    checkDrift: refuse,
    train: refuse,
    validate: refuse,
    deploy: refuse,
    rollback: refuse,
    versionBaseline: refuse,
  };
}

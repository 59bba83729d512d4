import type { EngineContext } from '../engine';
import type {
  BaselineVersion,
  Decision,
  DriftReport,
  ModelVersion,
  Plan,
  TrainParams,
  TrainResult,
  ValidateParams,
  ValidationResult,
} from '../protocol';
import type { ProbaMatrix } from './cbpe';

/**
 * Everything the agent does to the world goes through this interface. The real implementation (realTools.ts)
 * calls the drift, model, versioning and tracking engines; tests inject fakes (failures, slow deploys, …),
 * and the digital twin runs the same tools inside a sandbox workspace.
 */
export interface AgentTools {
  /** `current` a CSV or any source (with its --where) */
  checkDrift(ctx: EngineContext, params: { current: string; where?: string; label?: string }): Promise<DriftReport>;
  train(ctx: EngineContext, params: TrainParams): Promise<TrainResult>;
  validate(ctx: EngineContext, params: ValidateParams): Promise<ValidationResult>;
  deploy(ctx: EngineContext, params: { version?: string }): Promise<ModelVersion>;
  rollback(ctx: EngineContext): Promise<ModelVersion>;
  versionBaseline(ctx: EngineContext, params: { modelVersion: string }): Promise<BaselineVersion | { skipped: string }>;
  /** the production model's registry entry (meta.json + validation), or undefined when nothing is deployed */
  production(ctx: EngineContext): Promise<ModelVersion | undefined>;
  /**
   * The production model's class probabilities for a CSV, and the true class index per row when the file holds
   * the label column (else undefined). Used for the label-free accuracy estimate.
   */
  predictProba?(
    ctx: EngineContext,
    params: { file: string },
  ): Promise<{ matrix: ProbaMatrix; classes: string[]; labels?: Int32Array }>;
  /** tracking hooks; a failure here never breaks a decision or a plan */
  trackReasoning?(ctx: EngineContext, decision: Decision, extra: { drift_psi: number; model: string }): Promise<void>;
  trackPlanning?(ctx: EngineContext, plan: Plan): Promise<void>;
}

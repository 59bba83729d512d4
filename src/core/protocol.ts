/**
 * The DriftCatcher protocol: every request and notification between the engine server and its clients
 * (the VS Code extension, the webview, any other editor or script). This file is the only core module that
 * the extension and the webview import, so it must stay free of Node.js imports.
 *
 * Wire format: JSON-RPC 2.0 with LSP framing (Content-Length headers) over stdio. Methods live under
 * `driftcatcher/`. Long requests accept a `workDoneToken` (LSP work-done progress) and honour `$/cancelRequest`.
 * Documented with a worked example in docs/protocol.md.
 */

// ---------- shared data shapes ----------

export type Severity = 'none' | 'moderate' | 'severe';
export type FeatureKind = 'numeric' | 'categorical';
export type DriftTest = 'ks' | 'chi2';

export interface FeatureDrift {
  name: string;
  kind: FeatureKind;
  psi: number;
  /** the hypothesis test used for this feature's kind */
  test: DriftTest;
  statistic: number;
  p_value: number;
  /** Jensen-Shannon distance (base 2, 0..1) between baseline and current bin proportions */
  js_distance: number;
  /** Wasserstein-1 distance divided by the baseline std (numeric only, else null) */
  wasserstein: number | null;
  severity: Severity;
  drifted: boolean;
  /** for histograms: bin edges (numeric, interior edges) or category names, and the two proportion vectors */
  bins?: { edges?: number[]; categories?: string[]; expected: number[]; actual: number[] };
  missing_rate_baseline: number;
  missing_rate_current: number;
}

export interface QualityFinding {
  kind: 'missing_rate_jump' | 'out_of_range' | 'new_categories' | 'constant_column' | 'added_column' | 'missing_column' | 'non_numeric_values';
  feature: string;
  message: string;
  value?: number;
}

export interface DriftOverall {
  psi_mean: number;
  psi_max: number;
  n_drifted: number;
  share_drifted: number;
  severity: Severity;
  total_features: number;
}

/**
 * Multivariate drift: changes no single feature shows (correlations, joint shifts), measured on samples of both
 * sides. Present in a report when the check asked for it (`multivariate: true`, CLI `--multivariate`).
 */
export interface MultivariateDrift {
  /** rows sampled from each side */
  rows: { baseline: number; current: number };
  /** features used (numeric as they are, categorical frequency-encoded) */
  features: string[];
  /** a random forest trained to tell current rows (1) from baseline rows (0), scored by k-fold cross-validation */
  domain_classifier: {
    /** mean out-of-fold ROC AUC: 0.5 = the sides look alike, 1 = always told apart */
    auc: number;
    /** 95 % interval of the mean over the folds (Student's t) */
    auc_low: number;
    auc_high: number;
    folds: number;
    /** drifted when the interval lies above 0.5 and the AUC is at least 0.55 */
    drifted: boolean;
    /** the features that separate the sides most (mean decrease in impurity, share of the total), most first */
    top_features: { name: string; importance: number }[];
  };
  /** PCA reconstruction error (NannyML's method): PCA fitted on the standardised baseline */
  reconstruction: {
    components: number;
    /** share of the baseline's variance the components explain (target 0.65) */
    explained_variance: number;
    /** mean reconstruction error of the baseline sample and of the current sample */
    baseline_error: number;
    current_error: number;
    /** normal band: mean ± 3 std of the baseline's chunk errors (10 chunks) */
    lower: number;
    upper: number;
    /** the current error lies outside the band */
    drifted: boolean;
  } | null;
  /** either method flagged drift */
  drifted: boolean;
  /** why a part is missing or limited (e.g. no numeric feature for PCA) */
  notes: string[];
  seconds: number;
}

export interface DriftReport {
  overall: DriftOverall;
  /** sorted by drift, most drifted first */
  features: FeatureDrift[];
  quality: QualityFinding[];
  /** model_version: set when the baseline was the production model's training profile */
  baseline: { source: string; rows: number; profile_hash?: string; model_version?: string };
  current: { source: string; rows: number; sha256?: string };
  thresholds: { moderate: number; severe: number; p_value: number };
  created_at: string;
  seconds: number;
  multivariate?: MultivariateDrift;
}

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number | null;
  /** binary: tn, fp, fn, tp; multi-class: confusion[i][j] (true i, predicted j) */
  confusion: { tn?: number; fp?: number; fn?: number; tp?: number; matrix?: number[][]; labels: string[] };
  rows: number;
  /** mean recall over the classes present in the scored rows (sklearn's balanced_accuracy_score) */
  balanced_accuracy: number;
  /** unweighted mean F1 over the classes that are true or predicted at least once (sklearn's f1_score average='macro') */
  macro_f1: number;
  /** one entry per class of the model, in class order */
  per_class: ClassMetrics[];
  /** what a constant predictor of the training data's most frequent class scores on the same rows */
  majority_baseline: MajorityBaseline;
}

export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  /** rows of this class among the scored rows */
  support: number;
}

export interface MajorityBaseline {
  /** the constant prediction: the training data's most frequent class (the scored rows' when unknown) */
  class: string;
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  /** the same quantity as ClassificationMetrics.f1 (binary: the positive class's F1, 0 when the majority is negative) */
  f1: number;
}

export type ModelStatus = 'candidate' | 'production' | 'archived' | 'rejected';

export interface DataLineage {
  path: string;
  rows: number;
  sha256: string;
}

export interface ModelVersion {
  version: string; // "v1", "v2", ...
  status: ModelStatus;
  created_at: string;
  metrics: ClassificationMetrics;
  validation?: ValidationResult;
  lineage: DataLineage[];
  train_rows: number;
  train_seconds: number;
  features: string[];
  /** every column of the training table but the label: how the model uses it, and its importance (absent in versions trained before this was recorded) */
  columns?: ModelColumn[];
  label: string;
  classes: string[];
  trees: number;
  baseline_version?: string;
  deployed_at?: string;
  /** the holdout ledger's rule the training applied (rows on the held-out side were skipped) */
  holdout_split?: { seed: number; fraction: number; skipped_rows: number };
  /** sha256 of each file of the version (model.json, profile.json, baseline.csv) when it was trained; checked before use */
  files?: Record<string, string>;
}

/** One column of a model's training table (the label excluded). */
export interface ModelColumn {
  name: string;
  /** numeric or categorical: a feature of the model; excluded: left out, `reason` says why */
  kind: 'numeric' | 'categorical' | 'excluded';
  /** impurity-based importance: mean decrease in Gini impurity, normalised to sum 1 over the features (0 when excluded) */
  importance: number;
  reason?: string;
  /** categorical: how many categories the model tells apart (the others count as "other") */
  categories?: number;
}

export interface TrainResult {
  version: string;
  metrics: ClassificationMetrics;
  rows: number;
  dropped_rows: number;
  /** rows of the test split the metrics were measured on */
  test_rows?: number;
  /** the data was too small to trust the metrics (too few rows per class, a tiny test split) */
  warnings?: string[];
  train_seconds: number;
  run_id?: string;
  /** when a holdout was given: the validation gate's result for the new version */
  validation?: ValidationResult;
}

/**
 * One check of the validation gate: `value` (the candidate's) `comparison` `threshold` must hold. Thresholds are
 * in the metric's own units (MLflow MetricThreshold semantics): e.g. an improvement check has threshold =
 * production's value + min_absolute_change, so value and threshold compare directly.
 */
export interface ValidationCheck {
  name: string;
  value: number;
  threshold: number;
  comparison: '>=' | '<=' | '>' | '<';
  passed: boolean;
  /** floor: absolute threshold; improvement: must beat production; regression: may not fall below production − maxRegression; baseline: must beat the majority-class predictor; overlap: holdout rows the candidate trained on */
  kind?: 'floor' | 'improvement' | 'regression' | 'baseline' | 'overlap';
  /** the metric checked (accuracy, balanced_accuracy, macro_f1, …) */
  metric?: string;
  /** what the threshold derives from: production's or the majority-class predictor's value of the metric */
  reference?: { of: string; value: number };
  /** the check in words, the right way round ("balanced_accuracy 0.8010 does not beat production v3 (0.8050) by 0.002") */
  message?: string;
  /**
   * improvement / regression checks on paired predictions: the threshold includes `noise` (the holdout's sampling
   * noise of candidate − production at `confidence`, one-sided); `difference` is that difference's one-sided bounds
   */
  significance?: { confidence: number; noise: number; rows: number; difference: [number, number] };
}

/** Holdout rows that a model may have trained on (row identity by the holdout ledger's hash). */
export interface HoldoutOverlap {
  /** holdout rows found in the model's training data */
  rows: number;
  /** holdout rows that could not be checked (a lineage file is gone or changed) */
  unverified: number;
}

export interface ValidationResult {
  version: string;
  passed: boolean;
  checks: ValidationCheck[];
  /** the rows scored; `batches`: the holdout ledger's batches they come from (newest last) when built from the ledger */
  holdout: { path: string; rows: number; batches?: string[] };
  candidate_metrics: ClassificationMetrics;
  production_metrics?: ClassificationMetrics & { version: string };
  /** overlap of the holdout with the candidate's and production's training data */
  overlap?: { candidate: HoldoutOverlap; production?: HoldoutOverlap };
  validated_at: string;
  /** set when deploy re-ran the gate against the production of that moment */
  revalidated_for_deploy?: boolean;
}

export interface TrackedRun {
  run_id: string;
  experiment: string;
  name: string;
  status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'SCHEDULED';
  start_time: number;
  end_time?: number;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface MetricPoint {
  timestamp: number;
  value: number;
  step: number;
  run_id: string;
}

export interface BaselineVersion {
  rev: string; // git commit
  date: string;
  message: string;
  md5: string;
  size: number;
  rows?: number;
  model_version?: string;
}

export type Action = 'MONITOR' | 'RETRAIN' | 'RETRAIN_URGENT';

export interface Decision {
  id: string;
  action: Action;
  confidence: number;
  rationale: string;
  considerations: string[];
  risks: string[];
  source: 'llm' | 'policy';
  /** which model decided when `source` is llm: the endpoint's model name, or "editor:<vendor>/<family>" for the editor's chat model */
  model?: string;
  /** why the policy decided instead of the LLM, when it did */
  fallback_reason?: string;
  created_at: string;
  /** what the decision weighed, from its logged context (absent in decisions logged before it was recorded) */
  evidence?: DecisionEvidence;
}

/**
 * The figures a person checks a decision against (a view of the decision context): the label-free accuracy
 * estimate with its interval and, when the batch carries labels, the realised accuracy; drift weighted by the
 * production model's feature importance; the expected value of a retrain.
 */
export interface DecisionEvidence {
  /** the production model the estimate and the importances belong to */
  production?: string;
  estimate?: {
    method: string;
    /** estimated accuracy of the production model on the batch, without its labels */
    expected_accuracy: number;
    /** 95 % interval of that accuracy (batch sampling + calibration) */
    interval?: [number, number];
    /** accuracy on the rows the estimate was calibrated on (held out from training) */
    reference_accuracy: number;
    drop_points: number;
    current_rows: number;
    /** the production model's accuracy on the batch's own labels, when the batch carries them */
    realised_accuracy?: number;
    realised_rows?: number;
  };
  /** why there is no estimate */
  estimate_unavailable?: string;
  impact?: {
    /** Σ importance × PSI over the features drifted beyond sampling noise */
    weighted_psi: number;
    /** importance share of the features drifted beyond sampling noise at this batch size */
    weighted_share_drifted: number;
    significant_drifted: number;
    /** false: no importances recorded, every feature weighs the same */
    importance_known: boolean;
    /** the features that weigh most (importance × PSI), most first; noise_psi: PSI's no-drift spread at this n */
    top: { name: string; psi: number; noise_psi: number; significant: boolean; importance: number }[];
  };
  /** expected value of a retrain now, in accuracy points */
  value?: { expected_gain_points: number | null; cost_points: number; net_points: number | null; basis: string };
}

export type ToolName = 'check_drift' | 'retrain_model' | 'validate_model' | 'deploy_model' | 'version_baseline' | 'rollback' | 'notify';
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'awaiting_approval';
export type PlanStatus = 'planned' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'abandoned' | 'rejected';
export type Autonomy = 'suggest' | 'approve' | 'autonomous';

export interface PlanStep {
  id: string;
  tool: ToolName;
  args: Record<string, unknown>;
  depends_on: string[];
  status: StepStatus;
  attempts: number;
  started_at?: string;
  finished_at?: string;
  result?: unknown;
  error?: string;
}

export interface Plan {
  id: string;
  decision_id: string;
  goal: string;
  urgency: 'low' | 'normal' | 'high';
  autonomy: Autonomy;
  status: PlanStatus;
  steps: PlanStep[];
  created_at: string;
  updated_at: string;
  error?: string;
  /** set when the agent was escalated (consecutive failed validations): the plan waits for a person before it acts */
  review_required?: string;
  /** the process running it (pid, start time, host) while status is running */
  owner?: string;
  /** status is running but that process is gone (killed, crashed): resume or abandon it */
  interrupted?: boolean;
}

/** The agent's escalation: after consecutive failed validations it stops acting alone until a person approves or resets. */
export interface EscalationState {
  escalated: boolean;
  consecutive_failed_validations: number;
  /** escalate at this many (agent.escalateAfterFailedValidations) */
  threshold: number;
  /** the failed validations since the last reset, oldest first */
  failures: { version: string; validated_at: string; reason: string }[];
  reset_at: string | null;
}

export interface AgentResult {
  decision: Decision;
  plan: Plan;
  report?: DriftReport;
}

export interface SimulationStep {
  name: string;
  status: 'completed' | 'failed' | 'skipped';
  seconds: number;
  detail?: string;
}

export interface SimulationResult {
  steps: SimulationStep[];
  decision: Decision;
  plan: Plan;
  report: DriftReport;
  candidate_metrics?: ClassificationMetrics;
  production_metrics?: ClassificationMetrics;
  validation?: ValidationResult;
  /** what a deploy would change, in words and numbers */
  would_change: string[];
  production_unchanged: boolean;
}

/**
 * The drift baseline every view, the CLI, watch mode and the header diagnostics compare against when no baseline
 * is given: the production model's training profile (the default), or a file the user chose. Kept by the engine in
 * `.driftcatcher/chosen-baseline.json`.
 */
export type BaselineChoice =
  | { kind: 'production'; /** undefined: no model in production yet */ version?: string }
  | { kind: 'file'; /** workspace-relative path of the chosen CSV or profile */ source: string; rows: number; features: number; chosen_at: string };

/** A dataset configuration the workspace can use (`driftcatcher/listDatasets`). */
export interface DatasetInfo {
  name: string;
  /** built into the engine (CICIDS2017, Generic), else from driftcatcher.config.json `datasets` */
  builtin: boolean;
  /** the label column it names (absent: detected) */
  label?: string;
  task: 'binary' | 'multiclass';
  positiveClass?: string;
}
export interface DatasetList {
  /** the dataset in use (the `dataset` setting, canonical spelling) */
  current: string;
  /** the workspace's own first, then the built-in ones it does not shadow */
  datasets: DatasetInfo[];
}

export interface DashboardData {
  report?: DriftReport;
  models: ModelVersion[];
  production?: string;
  driftHistory: MetricPoint[];
  decisions: Decision[];
  plans: Plan[];
  /** whether the agent is escalated (waits for a person) after consecutive failed validations */
  escalation?: EscalationState;
}

// ---------- requests ----------

/** Every path in params is absolute or relative to the first workspace folder, and must lie inside a workspace folder. */
/**
 * A data source, wherever a CSV path is accepted for data: a CSV or Parquet file, a glob or folder of them read
 * as one dataset, `duckdb:FILE?table=T`, `clickhouse://HOST:PORT/DB/TABLE` or `postgresql://USER@HOST:PORT/DB?table=T`
 * (see README "Point it at your warehouse").
 */
export type DataSourceText = string;

export interface CheckDriftParams {
  current: DataSourceText;
  /** a baseline data source or profile JSON; default: the production model's profile */
  baseline?: DataSourceText;
  label?: string;
  /** SQL predicate selecting the current rows (Parquet and table sources), e.g. "date >= '2001-02-01'" */
  where?: string;
  /** SQL predicate selecting the baseline rows, when the baseline is profiled from a Parquet or table source */
  baselineWhere?: string;
  /** also measure multivariate drift (domain classifier, PCA reconstruction error) on samples of both sides */
  multivariate?: boolean;
}
export interface ProfileBaselineParams {
  baseline: DataSourceText;
  label?: string;
  /** SQL predicate selecting the baseline rows (Parquet and table sources) */
  where?: string;
  /** where to write the profile; default: the workspace's .driftcatcher/baseline-profile.json */
  output?: string;
}
export interface ProfileBaselineResult {
  output: string;
  features: number;
  rows: number;
}
export interface TrainParams {
  /** a labelled data source: a CSV, a Parquet file, a glob or folder, or a table URI (sampled in its engine) */
  baseData: DataSourceText;
  newData?: DataSourceText[];
  holdout?: DataSourceText;
  /** SQL predicates selecting rows of Parquet and table sources: of the base data, the new data, the holdout */
  baseWhere?: string;
  where?: string;
  holdoutWhere?: string;
  label?: string;
  trees?: number;
  /** binary (default: the negative class against the rest) or multiclass (every label a class); default from the dataset config */
  task?: 'binary' | 'multiclass';
}
export interface ValidateParams {
  version?: string;
  /** a labelled CSV, Parquet file or table; default: the held-out rows of the holdout ledger's newest batches (validation.recentBatches) */
  holdout?: DataSourceText;
  /** SQL predicate selecting the holdout's rows (Parquet and table sources) */
  where?: string;
}
export interface DeployParams {
  version?: string;
}
export interface HoldoutParams {
  /** a folder of labelled CSVs (each file a batch), or a labelled Parquet file, glob or table (its sample one batch) */
  dataDir: DataSourceText;
  /** SQL predicate selecting rows of a Parquet or table source */
  where?: string;
  output: string;
  sampleFraction?: number;
}
export interface HoldoutResult {
  output: string;
  rows: number;
  labels: Record<string, number>;
}
export interface RunAgentParams {
  /** the current data: a CSV or Parquet file, a glob or folder, or a table URI */
  current: DataSourceText;
  /** SQL predicate selecting the current rows (Parquet and table sources); the retrain reads the same rows */
  where?: string;
  autonomy?: Autonomy;
  /** approve the deploy up front (same as the CLI's --yes) */
  yes?: boolean;
}
export interface ApprovePlanParams {
  planId: string;
  approve: boolean;
}
/** a plan interrupted mid-run (the engine stopped) can be resumed from its first unfinished step, or abandoned */
export interface PlanIdParams {
  planId: string;
}
export interface ResumePlanParams extends PlanIdParams {
  /** approve a deploy step up front (the CLI's --yes) */
  approved?: boolean;
}
export interface SimulateParams {
  /** the current data: a CSV or Parquet file, a glob or folder, or a table URI */
  current: DataSourceText;
  /** SQL predicate selecting the current rows (Parquet and table sources) */
  where?: string;
}
export interface ListRunsParams {
  experiment?: string;
}
export interface MetricHistoryParams {
  experiment: string;
  metric: string;
}
/** `baseline` given: profile it and make it the drift baseline; omitted: go back to the production model's profile */
export interface SetBaselineParams {
  baseline?: string;
  label?: string;
}
export interface RestoreBaselineParams {
  rev: string;
}
/** a person takes over from an escalated agent: the failed validations so far no longer count */
export interface ResetEscalationParams {
  /** why, kept in .driftcatcher/escalation.json */
  reason?: string;
}
/** explain a drift check in words: the latest report, or a new check of `current` */
export interface ExplainDriftParams {
  /** check this file first (as checkDrift does); default: explain the workspace's latest report */
  current?: string;
  baseline?: string;
  label?: string;
  /** how many features to explain, most drifted first (default 5) */
  top?: number;
}
/** one feature of a drift explanation: the report's figures plus sentences built from them */
export interface FeatureExplanation {
  name: string;
  kind: FeatureKind;
  severity: Severity;
  psi: number;
  test: DriftTest;
  statistic: number;
  p_value: number;
  js_distance: number;
  wasserstein: number | null;
  /** the production model's importance of this feature (0..1), when a model is in production */
  importance?: number;
  /** one sentence */
  summary: string;
  /** what each statistic says about this feature */
  details: string[];
  /** the bins or categories whose share of rows moved most (shares 0..1) */
  shifts: { bin: string; baseline: number; current: number }[];
}
export interface DriftExplanation {
  overall: string;
  severity: Severity;
  features: FeatureExplanation[];
  /** features not explained (less drifted) */
  more_features: number;
  quality: string[];
  baseline: string;
  current: string;
  created_at: string;
  /** where the importances come from, e.g. "production model v3" */
  importance_source?: string;
}

export const Methods = {
  checkDrift: 'driftcatcher/checkDrift',
  measureDrift: 'driftcatcher/measureDrift',
  profileBaseline: 'driftcatcher/profileBaseline',
  train: 'driftcatcher/train',
  validate: 'driftcatcher/validate',
  deploy: 'driftcatcher/deploy',
  rollback: 'driftcatcher/rollback',
  listModels: 'driftcatcher/listModels',
  createHoldout: 'driftcatcher/createHoldout',
  listRuns: 'driftcatcher/listRuns',
  metricHistory: 'driftcatcher/metricHistory',
  runAgent: 'driftcatcher/runAgent',
  approvePlan: 'driftcatcher/approvePlan',
  resumePlan: 'driftcatcher/resumePlan',
  abandonPlan: 'driftcatcher/abandonPlan',
  listPlans: 'driftcatcher/listPlans',
  simulate: 'driftcatcher/simulate',
  baselineHistory: 'driftcatcher/baselineHistory',
  restoreBaseline: 'driftcatcher/restoreBaseline',
  setBaseline: 'driftcatcher/setBaseline',
  getBaseline: 'driftcatcher/getBaseline',
  explainDrift: 'driftcatcher/explainDrift',
  dashboardData: 'driftcatcher/dashboardData',
  writeDemo: 'driftcatcher/writeDemo',
  resetEscalation: 'driftcatcher/resetEscalation',
  listDatasets: 'driftcatcher/listDatasets',
  ping: 'driftcatcher/ping',
} as const;

/** Request method -> [params, result]. The server and clients derive their typings from this one map. */
export interface RequestTypes {
  [Methods.checkDrift]: [CheckDriftParams, DriftReport];
  [Methods.measureDrift]: [CheckDriftParams, DriftReport];
  [Methods.profileBaseline]: [ProfileBaselineParams, ProfileBaselineResult];
  [Methods.train]: [TrainParams, TrainResult];
  [Methods.validate]: [ValidateParams, ValidationResult];
  [Methods.deploy]: [DeployParams, ModelVersion];
  [Methods.rollback]: [Record<string, never>, ModelVersion];
  [Methods.listModels]: [Record<string, never>, ModelVersion[]];
  [Methods.createHoldout]: [HoldoutParams, HoldoutResult];
  [Methods.listRuns]: [ListRunsParams, TrackedRun[]];
  [Methods.metricHistory]: [MetricHistoryParams, MetricPoint[]];
  [Methods.runAgent]: [RunAgentParams, AgentResult];
  [Methods.approvePlan]: [ApprovePlanParams, Plan];
  [Methods.resumePlan]: [ResumePlanParams, Plan];
  [Methods.abandonPlan]: [PlanIdParams, Plan];
  [Methods.listPlans]: [Record<string, never>, { decisions: Decision[]; plans: Plan[] }];
  [Methods.simulate]: [SimulateParams, SimulationResult];
  [Methods.baselineHistory]: [Record<string, never>, BaselineVersion[]];
  [Methods.restoreBaseline]: [RestoreBaselineParams, BaselineVersion];
  [Methods.setBaseline]: [SetBaselineParams, BaselineChoice];
  [Methods.getBaseline]: [Record<string, never>, BaselineChoice];
  [Methods.explainDrift]: [ExplainDriftParams, DriftExplanation];
  [Methods.dashboardData]: [Record<string, never>, DashboardData];
  [Methods.writeDemo]: [{ dir: string }, { files: string[] }];
  [Methods.resetEscalation]: [ResetEscalationParams, EscalationState];
  [Methods.listDatasets]: [Record<string, never>, DatasetList];
  [Methods.ping]: [Record<string, never>, { pong: true; time: number }];
}

// ---------- requests from the server (server -> client) ----------

/** `driftcatcher/chat`: the engine asks the editor's chat model (opt-in: llm.provider "editor") */
export interface ChatRequest {
  /** the system prompt first, then the user message with the data block */
  messages: { role: 'system' | 'user'; content: string }[];
  /** "vendor" or "vendor/family"; empty: any model the editor offers */
  selector: string;
  /** the engine stops waiting after this long and decides by its rule policy */
  timeoutMs: number;
  /** why the extension asks for the model (shown by VS Code when it asks the user's consent) */
  justification: string;
}
export interface ChatReply {
  text: string;
  /** "<vendor>/<family>" of the model that answered */
  model: string;
}
export const ServerRequests = { chat: 'driftcatcher/chat' } as const;
/** server -> client request method -> [params, result] */
export interface ServerRequestTypes {
  [ServerRequests.chat]: [ChatRequest, ChatReply];
}

// ---------- notifications (server -> client) ----------

export const Notifications = {
  driftReport: 'driftcatcher/driftReport',
  modelsChanged: 'driftcatcher/modelsChanged',
  planChanged: 'driftcatcher/planChanged',
  runLogged: 'driftcatcher/runLogged',
  simulationStep: 'driftcatcher/simulationStep',
  log: 'driftcatcher/log',
  decisionMade: 'driftcatcher/decisionMade',
  baselineChanged: 'driftcatcher/baselineChanged',
} as const;

export interface NotificationTypes {
  [Notifications.driftReport]: DriftReport;
  /** escalation: the agent's escalation, derived from these versions' validations (and the last reset) */
  [Notifications.modelsChanged]: { models: ModelVersion[]; production?: string; escalation?: EscalationState };
  [Notifications.planChanged]: Plan;
  [Notifications.runLogged]: TrackedRun;
  [Notifications.simulationStep]: { simulationId: string; step: SimulationStep };
  [Notifications.log]: { level: 'info' | 'warn' | 'error'; message: string };
  /** the agent logged a decision (before its plan runs) */
  [Notifications.decisionMade]: Decision;
  /** the drift baseline changed (Use as Baseline, back to production, a deploy while production is the baseline) */
  [Notifications.baselineChanged]: BaselineChoice;
}

import { z } from 'zod';
import type { ClassificationMetrics, ModelVersion, ValidationResult } from '../protocol';
import { majorityBaseline, matrixSummary } from './metrics';

/**
 * zod schemas for the registry files (meta.json, validation.json, production.json, deployments.json):
 * everything read back from disk is checked against these, so a hand-edited or torn file gives a clear error.
 */

const ClassMetricsSchema = z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() });

const MetricsObject = z.object({
  accuracy: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  roc_auc: z.number().nullable(),
  confusion: z.object({
    tn: z.number().optional(),
    fp: z.number().optional(),
    fn: z.number().optional(),
    tp: z.number().optional(),
    matrix: z.array(z.array(z.number())).optional(),
    labels: z.array(z.string()),
  }),
  rows: z.number(),
  // absent in versions trained before they were reported: derived from the confusion matrix on read
  balanced_accuracy: z.number().optional(),
  macro_f1: z.number().optional(),
  per_class: z.array(ClassMetricsSchema).optional(),
  majority_baseline: z
    .object({ class: z.string(), accuracy: z.number(), balanced_accuracy: z.number(), macro_f1: z.number(), f1: z.number() })
    .optional(),
});

/** Older files: the imbalance metrics from the stored confusion matrix (baseline: the scored rows' majority). */
function withImbalance<T extends z.infer<typeof MetricsObject>>(m: T): T & ClassificationMetrics {
  if (m.balanced_accuracy !== undefined && m.macro_f1 !== undefined && m.per_class && m.majority_baseline) return m as T & ClassificationMetrics;
  const labels = m.confusion.labels;
  const c = m.confusion;
  const matrix =
    c.matrix ?? (labels.length === 2 ? [[c.tn ?? 0, c.fp ?? 0], [c.fn ?? 0, c.tp ?? 0]] : labels.map(() => labels.map(() => 0)));
  const s = matrixSummary(matrix, labels);
  return {
    ...m,
    balanced_accuracy: m.balanced_accuracy ?? s.balanced_accuracy,
    macro_f1: m.macro_f1 ?? s.macro_f1,
    per_class: m.per_class ?? s.per_class,
    majority_baseline: m.majority_baseline ?? majorityBaseline(matrix, labels),
  };
}

export const MetricsSchema = MetricsObject.transform(withImbalance);

/** a metric that was not measured is NaN in memory and null in JSON */
const measured = z.number().nullable().transform((v) => v ?? Number.NaN);

export const ValidationCheckSchema = z.object({
  name: z.string(),
  value: measured,
  threshold: measured,
  comparison: z.enum(['>=', '<=', '>', '<']),
  passed: z.boolean(),
  kind: z.enum(['floor', 'improvement', 'regression', 'baseline', 'overlap']).optional(),
  metric: z.string().optional(),
  reference: z.object({ of: z.string(), value: z.number() }).optional(),
  message: z.string().optional(),
  significance: z.object({ confidence: z.number(), noise: z.number(), rows: z.number(), difference: z.tuple([z.number(), z.number()]) }).optional(),
});

const HoldoutOverlapSchema = z.object({ rows: z.number(), unverified: z.number() });

export const ValidationResultSchema = z.object({
  version: z.string(),
  passed: z.boolean(),
  checks: z.array(ValidationCheckSchema),
  holdout: z.object({ path: z.string(), rows: z.number(), batches: z.array(z.string()).optional() }),
  candidate_metrics: MetricsSchema,
  production_metrics: MetricsObject.extend({ version: z.string() }).transform(withImbalance).optional(),
  overlap: z.object({ candidate: HoldoutOverlapSchema, production: HoldoutOverlapSchema.optional() }).optional(),
  validated_at: z.string(),
  revalidated_for_deploy: z.boolean().optional(),
});

export const ModelStatusSchema = z.enum(['candidate', 'production', 'archived', 'rejected']);

export const ModelVersionSchema = z.object({
  version: z.string().regex(/^v[1-9][0-9]*$/),
  status: ModelStatusSchema,
  created_at: z.string(),
  metrics: MetricsSchema,
  validation: ValidationResultSchema.optional(),
  lineage: z.array(z.object({ path: z.string(), rows: z.number(), sha256: z.string() })),
  train_rows: z.number(),
  train_seconds: z.number(),
  features: z.array(z.string()),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  columns: z
    .array(
      z.object({
        name: z.string(),
        kind: z.enum(['numeric', 'categorical', 'excluded']),
        importance: z.number().min(0).max(1),
        reason: z.string().optional(),
        categories: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
  label: z.string(),
  classes: z.array(z.string()),
  trees: z.number(),
  baseline_version: z.string().optional(),
  deployed_at: z.string().optional(),
  holdout_split: z.object({ seed: z.number(), fraction: z.number(), skipped_rows: z.number() }).optional(),
});

/**
 * production.json: the single source of truth of what is in production. `stack` is the deploy history that
 * rollback walks back (its last entry is `version`); one atomic write commits a deploy or a rollback.
 */
export const ProductionPointerSchema = z.object({
  version: z.string().regex(/^v[1-9][0-9]*$/),
  deployed_at: z.string().optional(),
  stack: z.array(z.string()).optional(),
});
export type ProductionPointer = z.infer<typeof ProductionPointerSchema>;

/** deployments.json: an audit log of every deploy and rollback (informational; production.json decides). */
export const DeploymentEventSchema = z.object({
  action: z.enum(['deploy', 'rollback']),
  version: z.string(),
  previous: z.string().nullable(),
  at: z.string(),
});
export type DeploymentEvent = z.infer<typeof DeploymentEventSchema>;
export const DeploymentLogSchema = z.array(DeploymentEventSchema);

// compile-time checks that the schemas and the protocol types agree
type Assert<T extends true> = T;
export type _MetricsOk = Assert<z.infer<typeof MetricsSchema> extends ClassificationMetrics ? true : false>;
export type _ValidationOk = Assert<z.infer<typeof ValidationResultSchema> extends ValidationResult ? true : false>;
export type _VersionOk = Assert<z.infer<typeof ModelVersionSchema> extends ModelVersion ? true : false>;

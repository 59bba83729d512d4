import { z } from 'zod';
import type { ClassificationMetrics, ModelVersion, ValidationResult } from '../protocol';

/**
 * zod schemas for the registry files (meta.json, validation.json, production.json, deployments.json):
 * everything read back from disk is checked against these, so a hand-edited or torn file gives a clear error.
 */

export const MetricsSchema = z.object({
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
});

export const ValidationCheckSchema = z.object({
  name: z.string(),
  value: z.number(),
  threshold: z.number(),
  comparison: z.enum(['>=', '<=']),
  passed: z.boolean(),
});

export const ValidationResultSchema = z.object({
  version: z.string(),
  passed: z.boolean(),
  checks: z.array(ValidationCheckSchema),
  holdout: z.object({ path: z.string(), rows: z.number() }),
  candidate_metrics: MetricsSchema,
  production_metrics: MetricsSchema.extend({ version: z.string() }).optional(),
  validated_at: z.string(),
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
  label: z.string(),
  classes: z.array(z.string()),
  trees: z.number(),
  baseline_version: z.string().optional(),
  deployed_at: z.string().optional(),
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

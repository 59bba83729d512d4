import { z } from 'zod';

/**
 * The validation gate's settings (`validation` in driftcatcher.config.json, or a dataset config's `validation`).
 * Per metric an MLflow `MetricThreshold`: `threshold` (absolute floor), `min_absolute_change` and
 * `min_relative_change` (how much the candidate must beat production by), `greater_is_better`. README
 * "Validation gate" documents every key.
 */
export const GATE_METRICS = ['accuracy', 'balanced_accuracy', 'macro_f1', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

export const MetricThresholdSchema = z
  .object({
    threshold: z.number().optional(),
    min_absolute_change: z.number().min(0).optional(),
    min_relative_change: z.number().min(0).max(1).optional(),
    greater_is_better: z.boolean().default(true),
  })
  .strict();
export type MetricThreshold = z.infer<typeof MetricThresholdSchema>;

const unit = z.number().min(0).max(1);

export const ValidationConfigSchema = z
  .object({
    /** MetricThreshold per metric; default: balanced accuracy must beat production by 0.002 */
    metrics: z.partialRecord(z.enum(GATE_METRICS), MetricThresholdSchema).default({ balanced_accuracy: { min_absolute_change: 0.002, greater_is_better: true } }),
    /** absolute floors in the older flat form (`"accuracy": 0.9`): the same as metrics.<m>.threshold */
    accuracy: unit.optional(),
    precision: unit.optional(),
    recall: unit.optional(),
    f1: unit.optional(),
    /** metrics on which the candidate may not be worse than production by more than maxRegression */
    guarded: z.array(z.enum(GATE_METRICS)).default(['accuracy', 'balanced_accuracy', 'macro_f1']),
    maxRegression: unit.default(0.01),
    /** balanced accuracy and macro-F1 must beat the majority-class predictor (a constant model never passes) */
    beatMajority: z.boolean().default(true),
    /** share of each batch's rows held out for validation (fixed when the holdout ledger is created) */
    holdoutFraction: z.number().gt(0).lt(1).default(0.15),
    /** the gate scores on the held-out rows of this many newest batches */
    recentBatches: z.number().int().positive().default(3),
    /** holdout rows the candidate may have trained on */
    maxHoldoutOverlap: z.number().int().min(0).default(0),
    /**
     * one-sided confidence with which the improvement and regression checks must hold on the holdout (paired
     * bootstrap of candidate − production over the same rows, model/gateSignificance.ts); 0.5 compares point values
     */
    confidence: z.number().min(0.5).lt(1).default(0.95),
    /** bootstrap resamples behind those bounds */
    bootstrapRounds: z.number().int().min(100).max(100_000).default(1000),
  })
  .prefault({});
export type ValidationConfig = z.infer<typeof ValidationConfigSchema>;

import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { ValidateParams, ValidationResult } from '../protocol';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { evaluateForest, loadForModel, loadModel, trainingMajority } from './evaluate';
import { effectiveValidation, gateChecks } from './gate';
import { fileRowHashes, holdoutOverlap } from './holdoutOverlap';
import { materialiseHoldout, recentBatches } from './ledger';
import { labelledFiles } from '../sources/labelledFiles';
import { argmaxRows } from './forest';
import type { PairedPredictions } from './gateSignificance';
import type { LoadedModel } from './evaluate';
import { newestCandidate, productionVersion, recordValidation } from './registry';

/**
 * The validation gate (model/gate.ts): the candidate (default: the newest candidate) and the production model are
 * scored on the same holdout — by default the held-out rows of the holdout ledger's newest batches, which no
 * model trained on — and the candidate must pass every check. The result is stored with the version
 * (validation.json); a failed gate marks the version rejected, and deploy refuses it.
 */
export async function validate(ctx: EngineContext, p: ValidateParams): Promise<ValidationResult> {
  const ws = ctx.workspace;
  const version = p.version ?? newestCandidate(ws)?.version;
  if (!version) throw new DriftCatcherError('there is no candidate model to validate (train one first, or pass --version vN)', 'REGISTRY');
  const holdout = await resolveHoldout(ctx, p.holdout, p.where);
  const result = await scoreGate(ctx, version, holdout, productionVersion(ws));
  await recordValidation(ws, result);
  return result;
}

export interface HoldoutRef {
  /** workspace-relative when inside the workspace */
  path: string;
  batches?: string[];
}

/**
 * An explicit holdout (a CSV, or a Parquet file or table sampled in its engine, with `where`), or the held-out rows
 * of the ledger's newest batches.
 */
export async function resolveHoldout(ctx: EngineContext, holdout: string | undefined, where?: string): Promise<HoldoutRef> {
  if (holdout) {
    const { files } = await labelledFiles(ctx, holdout, { what: 'holdout', where, label: ctx.config.label, maxRows: ctx.config.training.maxBaselineRows, whole: true });
    if (files.length !== 1) throw new DriftCatcherError(`holdout ${holdout}: name one CSV file, a Parquet file or a table (a folder or glob of CSVs holds ${files.length} files)`, 'BAD_INPUT');
    const abs = files[0];
    return { path: path.relative(ctx.workspace, abs).startsWith('..') ? abs : path.relative(ctx.workspace, abs) };
  }
  const batches = recentBatches(ctx.workspace, ctx.config.validation.recentBatches);
  if (batches.length === 0) {
    throw new DriftCatcherError(
      'no holdout: the holdout ledger is empty (train on a labelled file first, or run driftcatcher holdout --data-dir DIR, or pass --holdout H.csv)',
      'NOT_FOUND',
    );
  }
  const m = await materialiseHoldout(ctx, batches);
  return { path: m.path, batches: batches.map((b) => b.source) };
}

/**
 * Score `version` and `production` (when another version is in production) on the holdout and run the gate's
 * checks. Pure with respect to the registry: nothing is written (deploy calls it under the registry lock).
 */
export async function scoreGate(ctx: EngineContext, version: string, holdout: HoldoutRef, production: string | undefined): Promise<ValidationResult> {
  const ws = ctx.workspace;
  const file = path.resolve(ws, holdout.path);
  ctx.progress?.(0, `scoring ${version} on ${holdout.path}`);
  const cand = loadModel(ws, version);
  const data = await loadForModel(ctx, cand, file);
  const candidate_metrics = evaluateForest(cand.forest, data.X, data.y, cand.meta.classes, trainingMajority(cand.meta));
  throwIfAborted(ctx.signal, 'validation');

  let production_metrics: ValidationResult['production_metrics'];
  let prodMeta;
  let paired: PairedPredictions | undefined;
  if (production && production !== version) {
    ctx.progress?.(40, `scoring production ${production} on the same holdout`);
    const pm = loadModel(ws, production);
    prodMeta = pm.meta;
    const pdata = await loadForModel(ctx, pm, file);
    production_metrics = { ...evaluateForest(pm.forest, pdata.X, pdata.y, pm.meta.classes, trainingMajority(pm.meta)), version: production };
    paired = pairRows(cand, data, pm, pdata);
    if (!paired) ctx.log?.(`${version} and ${production} scored different rows of the holdout: their checks compare point values`);
  }
  throwIfAborted(ctx.signal, 'validation');

  ctx.progress?.(70, 'checking the holdout against the training data');
  const hashes = await fileRowHashes(ctx, file);
  const overlap: NonNullable<ValidationResult['overlap']> = { candidate: await holdoutOverlap(ctx, hashes, cand.meta) };
  if (prodMeta) overlap.production = await holdoutOverlap(ctx, hashes, prodMeta);
  if (overlap.production?.rows) {
    ctx.log?.(`${overlap.production.rows} holdout row(s) are in production ${production}'s training data: its score on them is optimistic`);
  }

  const checks = gateChecks({ candidate: candidate_metrics, production: production_metrics, overlap: overlap.candidate, version, paired }, effectiveValidation(ctx.config));
  const result: ValidationResult = {
    version,
    passed: checks.every((c) => c.passed),
    checks,
    holdout: { path: holdout.path, rows: data.rows, ...(holdout.batches ? { batches: holdout.batches } : {}) },
    candidate_metrics,
    ...(production_metrics ? { production_metrics } : {}),
    overlap,
    validated_at: new Date().toISOString(),
  };
  ctx.progress?.(100, `${version} ${result.passed ? 'passed' : 'failed'} the gate`);
  ctx.log?.(`${version} ${result.passed ? 'passed' : 'FAILED'} validation on ${data.rows} holdout rows`);
  return result;
}

type Scored = { X: Float64Array[]; y: Int32Array; rows: number };

/**
 * Both models' predictions row by row, when they scored the same rows with the same classes (the same holdout
 * file read for each model's features): the gate's production checks are then paired tests.
 */
function pairRows(cand: LoadedModel, data: Scored, prod: LoadedModel, pdata: Scored): PairedPredictions | undefined {
  const classes = cand.meta.classes;
  if (data.rows !== pdata.rows || classes.join('\u0000') !== prod.meta.classes.join('\u0000')) return undefined;
  for (let i = 0; i < data.rows; i++) if (data.y[i] !== pdata.y[i]) return undefined;
  const k = classes.length;
  return {
    y: data.y,
    candidate: argmaxRows(cand.forest.predictProba(data.X), k),
    production: argmaxRows(prod.forest.predictProba(pdata.X), k),
    classes,
  };
}

import type { Table } from '../../data/table';
import type { MultivariateDrift } from '../../protocol';
import type { BaselineProfile } from '../profile';
import { encodeSides } from './encode';
import { errorBand, fitPca, meanOf, reconstructionErrors } from './pca';

/**
 * Multivariate drift on samples of both sides (see protocol.ts MultivariateDrift): the domain classifier and
 * NannyML's PCA reconstruction error. Pure: it takes the two samples and the baseline profile (which features,
 * which kinds) and returns the `multivariate` part of the report.
 */
export interface MultivariateOptions {
  /** the domain classifier (model/domainClassifier.ts: our random forest, out-of-fold ROC AUC) */
  classifier: SideClassifier;
  folds?: number;
  trees?: number;
  seed?: number;
  threads?: number;
  /** variance the PCA components must explain (NannyML's default 0.65) */
  variance?: number;
  signal?: AbortSignal;
}

/**
 * Trains a classifier to tell current rows (label 1) from baseline rows on the encoded columns and scores it by
 * stratified k-fold cross-validation: mean out-of-fold ROC AUC, its 95 % interval, and each feature's share in
 * separating the sides (most first).
 */
export type SideClassifier = (
  names: string[],
  baseline: Float64Array[],
  current: Float64Array[],
  opts: { folds: number; trees?: number; seed?: number; threads?: number; signal?: AbortSignal },
) => Promise<{ auc: number; auc_low: number; auc_high: number; importances: { name: string; importance: number }[] }>;

/** the domain classifier flags drift from this AUC on (with its interval above 0.5) */
export const DOMAIN_AUC_DRIFT = 0.55;
const TOP_FEATURES = 5;

export async function multivariateDrift(baseline: Table, current: Table, profile: BaselineProfile, opts: MultivariateOptions): Promise<MultivariateDrift> {
  const started = Date.now();
  const enc = encodeSides(baseline, current, profile.features);
  const notes: string[] = enc.skipped.map((n) => `left out '${n}': nearly every value is unique (an id or a timestamp)`);
  const rows = { baseline: baseline.rowCount, current: current.rowCount };
  const folds = opts.folds ?? 5;
  let domain: MultivariateDrift['domain_classifier'] = { auc: 0.5, auc_low: 0.5, auc_high: 0.5, folds, drifted: false, top_features: [] };
  if (enc.names.length === 0) notes.push('no feature is shared by both samples');
  else if (Math.min(rows.baseline, rows.current) < 2 * folds) notes.push(`too few rows for ${folds}-fold cross-validation (baseline ${rows.baseline}, current ${rows.current})`);
  else {
    const dc = await opts.classifier(enc.names, enc.baseline, enc.current, { folds, trees: opts.trees, seed: opts.seed, threads: opts.threads, signal: opts.signal });
    domain = {
      auc: dc.auc,
      auc_low: dc.auc_low,
      auc_high: dc.auc_high,
      folds,
      drifted: dc.auc_low > 0.5 && dc.auc >= DOMAIN_AUC_DRIFT,
      top_features: dc.importances.slice(0, TOP_FEATURES),
    };
  }
  let reconstruction: MultivariateDrift['reconstruction'] = null;
  if (enc.names.length < 2) notes.push('PCA reconstruction needs at least two features');
  else if (rows.baseline < 20) notes.push('PCA reconstruction needs at least 20 baseline rows');
  else {
    const model = fitPca(enc.baseline, opts.variance ?? 0.65);
    const baseErrors = reconstructionErrors(model, enc.baseline);
    const band = errorBand(baseErrors);
    const currentError = meanOf(reconstructionErrors(model, enc.current));
    reconstruction = {
      components: model.k,
      explained_variance: model.explained,
      baseline_error: meanOf(baseErrors),
      current_error: currentError,
      lower: band.lower,
      upper: band.upper,
      drifted: currentError < band.lower || currentError > band.upper,
    };
  }
  return {
    rows,
    features: enc.names,
    domain_classifier: domain,
    reconstruction,
    drifted: domain.drifted || (reconstruction?.drifted ?? false),
    notes,
    seconds: (Date.now() - started) / 1000,
  };
}

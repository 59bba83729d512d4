import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import {
  Notifications,
  type CheckDriftParams,
  type DriftReport,
  type BaselineChoice,
  type MultivariateDrift,
  type ProfileBaselineParams,
  type ProfileBaselineResult,
  type SetBaselineParams,
} from '../protocol';
import { stateDir, type Config } from '../config';
import { readTable } from '../data/csvReader';
import { datasetOf, type DatasetConfig } from '../data/datasetConfig';
import { detectLabel } from '../data/labels';
import { productionVersion, versionDir } from '../model/registry';
import { resolveInput, resolveOutput } from '../model/paths';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { buildProfile, loadProfile, saveProfile, type BaselineProfile } from './profile';
import { chosenProfileFile, clearChosenBaseline, describeChoice, readChosenBaseline, writeChosenBaseline } from './baselineChoice';
import type { DriftThresholds } from './driftReport';
import { isNonCsvSource, isTableUri } from '../sources';
import { sourceDrift, sourceMultivariate, sourceProfile, type SourceOptions } from '../sources/drift';
import { logDriftRun } from '../tracking/pipelineRuns';

/**
 * The drift operations, called the same way by the CLI and the server:
 * - checkDrift: baseline (CSV profiled on the fly, a profile JSON, or by default the production model's profile)
 *   against a current CSV;
 * - profileBaseline: profile a baseline CSV and save it as JSON.
 */

export function thresholdsOf(config: Config): DriftThresholds {
  return { moderate: config.drift.moderate, severe: config.drift.severe, p_value: config.drift.pValue };
}

export async function checkDrift(ctx: EngineContext, p: CheckDriftParams): Promise<DriftReport> {
  const { profile, modelVersion } = await loadBaseline(ctx, p.baseline, p.label, p.baselineWhere);
  throwIfAborted(ctx.signal, 'drift check');
  // any source: CSV files through our reader (both cores), Parquet and tables as SQL in their engine
  const report = await sourceDrift(profile, p.current, thresholdsOf(ctx.config), sourceOptions(ctx, p.where));
  if (modelVersion) report.baseline.model_version = modelVersion;
  if (p.multivariate ?? ctx.config.drift.multivariate) {
    const started = Date.now();
    const baselineRows = baselineDataFor(ctx, p.baseline, profile);
    report.multivariate = baselineRows
      ? await sourceMultivariate(profile, baselineRows, p.current, {
          baseline: sourceOptions(ctx, baselineRows === p.baseline ? p.baselineWhere : undefined),
          current: sourceOptions(ctx, p.where),
          rows: ctx.config.drift.multivariateRows,
          seed: ctx.config.training.seed,
          threads: ctx.config.training.threads,
        })
      : noBaselineRows(profile);
    report.seconds += (Date.now() - started) / 1000;
  }
  ctx.notify?.(Notifications.driftReport, report);
  await logDriftRun(ctx, report); // MLflow run in drift_monitoring; never throws
  return report;
}

export async function profileBaseline(ctx: EngineContext, p: ProfileBaselineParams): Promise<ProfileBaselineResult> {
  if (p.where !== undefined && !isNonCsvSource(p.baseline, ctx.workspace)) {
    throw new DriftCatcherError('--where applies to Parquet files and tables; to select CSV rows, pick the files (a glob)', 'BAD_INPUT');
  }
  const profile = isNonCsvSource(p.baseline, ctx.workspace)
    ? await profileSource(ctx, p.baseline, p.label, p.where)
    : await profileCsv(ctx, resolveInput(ctx.workspace, p.baseline, 'baseline'), p.label);
  const output = p.output ? resolveOutput(ctx.workspace, p.output) : path.join(stateDir(ctx.workspace), 'baseline-profile.json');
  throwIfAborted(ctx.signal, 'profiling');
  saveProfile(output, profile);
  return { output, features: profile.features.length, rows: profile.rows };
}

/**
 * Make a CSV (or profile JSON) the workspace's drift baseline, or — without `baseline` — go back to the production
 * model's profile. Every later check without an explicit baseline uses it (editor, CLI, watch mode, agent).
 */
export async function setBaseline(ctx: EngineContext, p: SetBaselineParams): Promise<BaselineChoice> {
  if (p.baseline === undefined) {
    clearChosenBaseline(ctx.workspace);
  } else {
    let profile: BaselineProfile;
    let source: string;
    if (isTableUri(p.baseline)) {
      // a table: profiled in its engine; the choice names the table (never a password: URIs cannot hold one)
      profile = await profileSource(ctx, p.baseline, p.label);
      source = profile.source;
    } else if (isNonCsvSource(p.baseline, ctx.workspace)) {
      profile = await profileSource(ctx, p.baseline, p.label);
      source = path.relative(ctx.workspace, path.resolve(ctx.workspace, p.baseline)).split(path.sep).join('/');
    } else {
      const file = resolveInput(ctx.workspace, p.baseline, 'baseline');
      profile = isJsonFile(file) ? loadProfile(file) : await profileCsv(ctx, file, p.label);
      source = path.relative(ctx.workspace, file).split(path.sep).join('/');
    }
    throwIfAborted(ctx.signal, 'profiling');
    saveProfile(chosenProfileFile(ctx.workspace), profile);
    writeChosenBaseline(ctx.workspace, { source, rows: profile.rows, features: profile.features.length, chosen_at: new Date().toISOString() });
  }
  const choice = describeChoice(ctx.workspace, productionVersion(ctx.workspace));
  ctx.notify?.(Notifications.baselineChanged, choice);
  return choice;
}

export async function getBaseline(ctx: EngineContext, _p: Record<string, never> = {}): Promise<BaselineChoice> {
  return describeChoice(ctx.workspace, productionVersion(ctx.workspace));
}

/** Profiles a baseline CSV: label from the flag, the dataset config or the usual names. */
export async function profileCsv(ctx: EngineContext, file: string, label?: string): Promise<BaselineProfile> {
  const table = await readTable(file, { signal: ctx.signal, maxColumns: ctx.config.csv.maxColumns, onProgress: byteProgress(ctx, `Reading ${path.basename(file)}`) });
  if (table.columns.length === 0) throw new DriftCatcherError('the baseline file is empty', 'BAD_INPUT', { file });
  if (table.rowCount === 0) throw new DriftCatcherError('the baseline has a header but no data rows: there is nothing to profile', 'BAD_INPUT', { file });
  const dataset = datasetOf(ctx.config);
  const names = table.columns.map((c) => c.name);
  const resolved = resolveLabel(names, dataset, label ?? ctx.config.label, file);
  const profile = buildProfile(table, { label: resolved, dataset: dataset.name, dropColumns: dataset.dropColumns });
  profile.source = file;
  return profile;
}

/**
 * The label column (detectLabel: --label, the dataset's, the usual names). Drift needs no label, so a baseline
 * without one is fine unless --label named a column that is not there.
 */
function resolveLabel(header: string[], dataset: DatasetConfig, explicit: string | undefined, file: string): string | null {
  try {
    return detectLabel(header, dataset, explicit);
  } catch (e) {
    if (explicit !== undefined) throw e instanceof DriftCatcherError ? new DriftCatcherError(e.message, e.code, { file }) : e;
    return null;
  }
}

/** A Parquet file, glob, folder or table profiled in its engine; the label as for a CSV. */
async function profileSource(ctx: EngineContext, baseline: string, label?: string, where?: string): Promise<BaselineProfile> {
  const dataset = datasetOf(ctx.config);
  return sourceProfile(baseline, {
    ...sourceOptions(ctx, where),
    label: (header, display) => resolveLabel(header, dataset, label ?? ctx.config.label, display),
    dataset: dataset.name,
    dropColumns: dataset.dropColumns,
  });
}

/**
 * The baseline's rows for multivariate drift: the baseline data itself, else the data its profile was made from
 * (when still there), else the production model's training data (models/vN/baseline.csv).
 */
function baselineDataFor(ctx: EngineContext, baseline: string | undefined, profile: BaselineProfile): string | undefined {
  if (baseline !== undefined && (isNonCsvSource(baseline, ctx.workspace) || !isJsonFile(resolveInput(ctx.workspace, baseline, 'baseline')))) return baseline;
  if (profile.source && (isTableUri(profile.source) || fs.existsSync(profile.source))) return profile.source;
  const version = productionVersion(ctx.workspace);
  const trained = version ? path.join(versionDir(ctx.workspace, version), 'baseline.csv') : undefined;
  return trained && fs.existsSync(trained) ? trained : undefined;
}

function noBaselineRows(profile: BaselineProfile): MultivariateDrift {
  return {
    rows: { baseline: 0, current: 0 },
    features: [],
    domain_classifier: { auc: 0.5, auc_low: 0.5, auc_high: 0.5, folds: 0, drifted: false, top_features: [] },
    reconstruction: null,
    drifted: false,
    notes: [`no baseline rows to compare with: the profile's data (${profile.source || 'unknown'}) is gone; check against the baseline data instead of its profile`],
    seconds: 0,
  };
}

function sourceOptions(ctx: EngineContext, where: string | undefined): SourceOptions {
  return { workspace: ctx.workspace, where, config: ctx.config, signal: ctx.signal, progress: ctx.progress };
}

/**
 * A baseline data source (CSV, Parquet, glob, folder, table), a profile JSON (ours or the seed's
 * training_stats.json), or — none given — the workspace's chosen baseline (drift/baselineChoice.ts), by default the
 * production model's profile (then `modelVersion` names it).
 */
export async function loadBaseline(ctx: EngineContext, baseline: string | undefined, label?: string, where?: string): Promise<{ profile: BaselineProfile; modelVersion?: string }> {
  if (baseline === undefined) {
    const chosen = readChosenBaseline(ctx.workspace);
    if (chosen) return { profile: loadProfile(chosen.profile) };
    const version = productionVersion(ctx.workspace);
    if (!version) {
      throw new DriftCatcherError(
        'no baseline given, none chosen and no model in production: pass a baseline CSV or profile JSON, choose one (`driftcatcher baseline use FILE`, or "Use as Baseline" in the editor), or train and deploy a model first',
        'NOT_FOUND',
      );
    }
    const file = path.join(versionDir(ctx.workspace, version), 'profile.json');
    if (!fs.existsSync(file)) throw new DriftCatcherError(`the production model ${version} has no baseline profile`, 'NOT_FOUND', { file });
    return { profile: loadProfile(file), modelVersion: version };
  }
  if (isNonCsvSource(baseline, ctx.workspace)) return { profile: await profileSource(ctx, baseline, label, where) };
  if (where !== undefined) throw new DriftCatcherError('a baseline --where applies to Parquet files and tables, not to a CSV or profile JSON', 'BAD_INPUT');
  const file = resolveInput(ctx.workspace, baseline, 'baseline');
  if (isJsonFile(file)) return { profile: loadProfile(file) };
  return { profile: await profileCsv(ctx, file, label) };
}

/** JSON by extension, or by a first non-blank byte of `{` (a profile saved under another name). */
function isJsonFile(file: string): boolean {
  if (file.toLowerCase().endsWith('.json')) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = fs.readSync(fd, buf, 0, 64, 0);
    return /^\s*\{/.test(buf.toString('utf8', 0, n).replace(/^\uFEFF/, ''));
  } finally {
    fs.closeSync(fd);
  }
}

function byteProgress(ctx: EngineContext, message: string): ((read: number, total: number) => void) | undefined {
  if (!ctx.progress) return undefined;
  let last = -1;
  return (read, total) => {
    const pct = total > 0 ? Math.floor((100 * read) / total) : undefined;
    if (pct === last) return;
    last = pct ?? -1;
    ctx.progress!(pct, message);
  };
}

export { formatReport } from './formatReport';

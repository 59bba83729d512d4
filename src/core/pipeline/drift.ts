import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import {
  Notifications,
  type BaselineChoice,
  type CheckDriftParams,
  type DriftReport,
  type MultivariateDrift,
  type ProfileBaselineParams,
  type ProfileBaselineResult,
  type SetBaselineParams,
} from '../protocol';
import { stateDir, type Config } from '../config';
import { datasetOf } from '../data/datasetConfig';
import { productionVersion, verifiedVersionFile, versionDir } from '../model/registry';
import { resolveInput, resolveOutput } from '../util/paths';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { isJsonFile, loadBaselineFile, profileCsv, resolveLabel, type BaselineReadOptions } from '../drift/baselineFile';
import { loadProfile, saveProfile, type BaselineProfile } from '../drift/profile';
import type { DriftThresholds } from '../drift/driftReport';
import { isNonCsvSource, isTableUri } from '../sources';
import { sourceDrift, sourceMultivariate, sourceProfile, type SourceOptions } from '../sources/drift';
import { logDriftRun } from '../tracking/pipelineRuns';
import { PROFILE_FILE } from './training';
import { chosenProfileFile, clearChosenBaseline, describeChoice, readChosenBaseline, writeChosenBaseline } from './baselineChoice';

/**
 * Drift as the engine runs it: where the drift engine (src/core/drift, which only compares a profile with a file)
 * meets the registry, notifications and tracking.
 * - measureDrift: resolve the baseline (a data source — CSV, Parquet, glob, folder, table — profiled on the fly, a
 *   profile JSON, or by default the workspace's chosen baseline, else the production model's profile) and compare
 *   with the current data, feature by feature and (asked for) multivariate — no side effects (editor diagnostics use
 *   this);
 * - checkDrift: measureDrift, then announce the report (driftReport) and track it as an MLflow run;
 * - profileBaseline: profile a baseline data source and save it as JSON;
 * - setBaseline / getBaseline: the workspace's chosen baseline (pipeline/baselineChoice.ts).
 */

export function thresholdsOf(config: Config): DriftThresholds {
  return { moderate: config.drift.moderate, severe: config.drift.severe, p_value: config.drift.pValue };
}

export async function measureDrift(ctx: EngineContext, p: CheckDriftParams): Promise<DriftReport> {
  const { profile, modelVersion } = await resolveBaseline(ctx, p.baseline, p.label, p.baselineWhere);
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
  return report;
}

export async function checkDrift(ctx: EngineContext, p: CheckDriftParams): Promise<DriftReport> {
  const report = await measureDrift(ctx, p);
  ctx.notify?.(Notifications.driftReport, report);
  await logDriftRun(ctx, report); // MLflow run in drift_monitoring; never throws
  return report;
}

export async function profileBaseline(ctx: EngineContext, p: ProfileBaselineParams): Promise<ProfileBaselineResult> {
  if (p.where !== undefined && !isNonCsvSource(p.baseline, ctx.workspace)) {
    throw new DriftCatcherError('--where applies to Parquet files and tables; to select CSV rows, pick the files (a glob)', 'BAD_INPUT');
  }
  let profile: BaselineProfile;
  if (isNonCsvSource(p.baseline, ctx.workspace)) profile = await profileSource(ctx, p.baseline, p.label, p.where);
  else {
    const file = resolveInput(ctx.workspace, p.baseline, 'baseline');
    profile = await profileCsv(file, readOptions(ctx, file, p.label));
  }
  const output = p.output ? resolveOutput(ctx.workspace, p.output) : path.join(stateDir(ctx.workspace), 'baseline-profile.json');
  throwIfAborted(ctx.signal, 'profiling');
  saveProfile(output, profile);
  return { output, features: profile.features.length, rows: profile.rows };
}

/**
 * Make a data source (or profile JSON) the workspace's drift baseline, or — without `baseline` — go back to the production
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
      profile = await loadBaselineFile(file, readOptions(ctx, file, p.label));
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

/**
 * What a check compares against: the data source or profile named, else the workspace's chosen baseline, else the
 * production model's profile (then `modelVersion` names it).
 */
async function resolveBaseline(
  ctx: EngineContext,
  baseline: string | undefined,
  label: string | undefined,
  where: string | undefined,
): Promise<{ profile: BaselineProfile; modelVersion?: string }> {
  if (baseline !== undefined) return { profile: await loadBaseline(ctx, baseline, label, where) };
  const chosen = readChosenBaseline(ctx.workspace);
  if (chosen) return { profile: loadProfile(chosen.profile) };
  const version = productionVersion(ctx.workspace);
  if (!version) {
    throw new DriftCatcherError(
      'no baseline given, none chosen and no model in production: pass a baseline CSV or profile JSON, choose one (`driftcatcher baseline use FILE`, or "Use as Baseline" in the editor), or train and deploy a model first',
      'NOT_FOUND',
    );
  }
  const file = path.join(versionDir(ctx.workspace, version), PROFILE_FILE);
  if (!fs.existsSync(file)) throw new DriftCatcherError(`the production model ${version} has no baseline profile`, 'NOT_FOUND', { file });
  // the production profile is checked against the sha256 recorded at training (an edited profile changes every check)
  return { profile: loadProfile(verifiedVersionFile(ctx.workspace, version, PROFILE_FILE)), modelVersion: version };
}

/** A named baseline: a data source (CSV, Parquet, glob, folder, table) profiled on the fly, or a profile JSON. */
async function loadBaseline(ctx: EngineContext, baseline: string, label: string | undefined, where: string | undefined): Promise<BaselineProfile> {
  if (isNonCsvSource(baseline, ctx.workspace)) return profileSource(ctx, baseline, label, where);
  if (where !== undefined) throw new DriftCatcherError('a baseline --where applies to Parquet files and tables, not to a CSV or profile JSON', 'BAD_INPUT');
  const file = resolveInput(ctx.workspace, baseline, 'baseline');
  return loadBaselineFile(file, readOptions(ctx, file, label));
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

function readOptions(ctx: EngineContext, file: string, label: string | undefined): BaselineReadOptions {
  return {
    dataset: datasetOf(ctx.config),
    label: label ?? ctx.config.label,
    signal: ctx.signal,
    maxColumns: ctx.config.csv.maxColumns,
    onProgress: byteProgress(ctx, `Reading ${path.basename(file)}`),
  };
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

import type { Config } from '../config';
import { DriftAccumulator, type DriftThresholds } from '../drift/driftReport';
import type { BaselineProfile } from '../drift/profile';
import type { DriftReport, MultivariateDrift } from '../protocol';
import { multivariateDrift } from '../drift/multivariate';
import { domainClassifier } from '../model/domainClassifier';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { hostTrust } from './credentials';
import { openSource } from './index';
import type { DataSource } from './source';

/**
 * Drift checks and baseline profiles on any data source: the source yields the accumulators (or the profile),
 * the pure drift code turns them into the report — the same JSON contract for every source.
 */
export interface SourceOptions {
  /** relative paths resolve against it */
  workspace: string;
  /** a --where predicate for this source */
  where?: string;
  config?: Pick<Config, 'sources' | 'csv' | 'trust'>;
  signal?: AbortSignal;
  /** percentage 0..100 and a phase message */
  progress?: (percentage: number | undefined, message: string) => void;
}

export async function withSource<T>(text: string, what: string, opts: SourceOptions, fn: (s: DataSource) => Promise<T>): Promise<T> {
  const src = await openSource(text, {
    workspace: opts.workspace,
    what,
    where: opts.where,
    clickhouse: opts.config?.sources.clickhouse,
    // no configuration, no trust: credentials go nowhere
    trust: opts.config ? hostTrust(opts.config) : { anyHost: false, hosts: [] },
    duckdbMemoryLimit: opts.config?.sources.duckdbMemoryLimit,
    maxColumns: opts.config?.csv.maxColumns,
  });
  try {
    return await fn(src);
  } finally {
    await src.close();
  }
}

export async function sourceDrift(profile: BaselineProfile, current: string, thresholds: DriftThresholds, opts: SourceOptions): Promise<DriftReport> {
  const started = Date.now();
  return withSource(current, 'current data', opts, async (src) => {
    const state = await src.driftState(profile, { signal: opts.signal, onProgress: percent(opts, `Comparing ${short(src.display)}`) });
    throwIfAborted(opts.signal, 'drift check');
    const acc = new DriftAccumulator(profile);
    acc.merge(state);
    let report: DriftReport;
    try {
      report = acc.finish(thresholds);
    } catch (e) {
      // "no data rows", "no shared column": say which data
      if (e instanceof DriftCatcherError && !e.where) throw new DriftCatcherError(e.message, e.code, { file: src.display });
      throw e;
    }
    report.current = { source: src.display, rows: acc.rows };
    report.seconds = (Date.now() - started) / 1000;
    return report;
  });
}

export interface SourceProfileOptions extends SourceOptions {
  label: (header: string[], display: string) => string | null;
  dataset?: string;
  dropColumns?: string[];
}

export async function sourceProfile(baseline: string, opts: SourceProfileOptions): Promise<BaselineProfile> {
  return withSource(baseline, 'baseline', opts, (src) =>
    src.profile({
      label: (header) => opts.label(header, src.display),
      dataset: opts.dataset,
      dropColumns: opts.dropColumns,
      signal: opts.signal,
      onProgress: percent(opts, `Profiling ${short(src.display)}`),
    }),
  );
}

function percent(opts: SourceOptions, message: string): ((fraction: number) => void) | undefined {
  if (!opts.progress) return undefined;
  let last = -1;
  return (fraction) => {
    const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    if (pct === last) return;
    last = pct;
    opts.progress!(pct, message);
  };
}

function short(display: string): string {
  const base = display.split('/').pop() ?? display;
  return base.length > 60 ? `${base.slice(0, 57)}…` : base;
}

export interface MultivariateSourceOptions {
  baseline: SourceOptions;
  current: SourceOptions;
  /** rows sampled from each side */
  rows: number;
  seed?: number;
  threads?: number;
}

/** Multivariate drift on samples both engines draw (src/core/drift/multivariate). */
export async function sourceMultivariate(profile: BaselineProfile, baseline: string, current: string, opts: MultivariateSourceOptions): Promise<MultivariateDrift> {
  const progress = opts.current.progress;
  progress?.(undefined, 'Sampling rows for multivariate drift');
  const columns = profile.features.map((f) => f.name);
  const sample = (text: string, what: string, o: SourceOptions) =>
    withSource(text, what, o, (src) => src.sample({ maxRows: opts.rows, seed: opts.seed, columns, signal: o.signal }));
  const base = await sample(baseline, 'baseline', opts.baseline);
  const cur = await sample(current, 'current data', opts.current);
  progress?.(undefined, 'Multivariate drift: domain classifier, PCA reconstruction');
  return multivariateDrift(base, cur, profile, { classifier: domainClassifier, seed: opts.seed, threads: opts.threads, signal: opts.current.signal });
}

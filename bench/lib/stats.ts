/** Repeated measurements: the median and the spread (min–max) of each metric. */

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** every run's value, in run order */
  runs: number[];
}

/** One run's numbers, by metric name (e.g. wall_s, cpu_s, peak_rss_mb, mb_per_s). */
export type Sample = Record<string, number>;
export type Stats = Record<string, Stat>;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarize(values: readonly number[]): Stat {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/** Per metric, the Stat over samples; a metric missing from some sample is summarized over the others. */
export function summarizeSamples(samples: readonly Sample[]): Stats {
  const out: Stats = {};
  const keys = new Set(samples.flatMap((s) => Object.keys(s)));
  for (const k of keys) {
    const values = samples.map((s) => s[k]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    if (values.length) out[k] = summarize(values);
  }
  return out;
}

/**
 * The ratio a/b per run (runs paired in order: both sides ran back to back in the same repetition, so a load
 * change hits both), summarized. Fairer than the ratio of two medians on a shared machine.
 */
export function pairedRatio(a: Stat, b: Stat): Stat {
  const n = Math.min(a.runs.length, b.runs.length);
  return summarize(Array.from({ length: n }, (_, i) => a.runs[i] / b.runs[i]));
}

import * as fs from 'node:fs';
import { z } from 'zod';
import type { Column, Table } from '../data/table';
import { DriftCatcherError } from '../util/errors';
import { writeJsonAtomicByLines } from '../util/atomicWrite';
import { upperBound } from './quantile';
import { numericProfile } from './numericProfile';

/**
 * The baseline profile: everything drift checks need from the baseline, so the baseline CSV itself is not
 * needed again. Versioned JSON. Per numeric feature it keeps the seed's training_stats.json fields (mean, std,
 * min, max, the 11 deciles and `expected_dist`, the seed's histogram over the deciles) plus the PSI bins of the
 * product's spec, and a quantile sketch with the exact baseline CDF at each point for KS and Wasserstein.
 */
export const PROFILE_FORMAT = 'driftcatcher.profile';
export const PROFILE_VERSION = 1;
/** categorical features keep their most frequent categories; the rest is counted as "other" */
export const MAX_CATEGORIES = 100;

const finiteOrNull = z.number().nullable();

const NumericProfileSchema = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** rows of the baseline (label present), missing included */
  n: z.number().int().nonnegative(),
  /** empty, NaN and ±Infinity cells (the seed treats infinities as missing) */
  missing: z.number().int().nonnegative(),
  missing_rate: z.number().min(0).max(1),
  mean: finiteOrNull,
  std: finiteOrNull,
  min: finiteOrNull,
  max: finiteOrNull,
  deciles: z.array(z.number()),
  expected_dist: z.array(z.number()),
  psi: z.object({ edges: z.array(z.number()), expected: z.array(z.number()) }),
  sketch: z.object({ values: z.array(z.number()), cdf: z.array(z.number()), cdf_left: z.array(z.number()) }),
});

const CategoricalProfileSchema = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  n: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  missing_rate: z.number().min(0).max(1),
  /** category -> count, the MAX_CATEGORIES most frequent */
  categories: z.record(z.string(), z.number().nonnegative()),
  /** rows in categories beyond the kept ones */
  other: z.number().nonnegative(),
});

export const ProfileSchema = z.object({
  format: z.literal(PROFILE_FORMAT),
  version: z.literal(PROFILE_VERSION),
  created_at: z.string(),
  source: z.string(),
  dataset: z.string(),
  label: z.string().nullable(),
  rows: z.number().int().nonnegative(),
  /** every column of the baseline file (features, label, dropped columns), for added/missing column checks */
  columns: z.array(z.string()),
  labels: z.record(z.string(), z.number()),
  features: z.array(z.discriminatedUnion('kind', [NumericProfileSchema, CategoricalProfileSchema])),
});

export type NumericProfile = z.infer<typeof NumericProfileSchema>;
export type CategoricalProfile = z.infer<typeof CategoricalProfileSchema>;
export type FeatureProfile = NumericProfile | CategoricalProfile;
export type BaselineProfile = z.infer<typeof ProfileSchema>;

export interface BuildProfileOptions {
  /** the label column (already resolved), or null when the baseline has none */
  label: string | null;
  dataset?: string;
  /** columns that are never features (ids, timestamps) */
  dropColumns?: string[];
  /** numeric features already profiled (by numericProfile, in another thread: drift/parallelProfile.ts), by name */
  profiled?: ReadonlyMap<string, NumericProfile>;
}

export function buildProfile(table: Table, opts: BuildProfileOptions): BaselineProfile {
  const labelCol = opts.label === null ? undefined : table.columns.find((c) => c.name === opts.label);
  if (opts.label !== null && !labelCol) {
    throw new DriftCatcherError(`label column '${opts.label}' not found in the baseline`, 'LABEL', { file: table.source });
  }
  const keep = keptRows(table.rowCount, labelCol);
  const features: FeatureProfile[] = [];
  for (const col of featureColumns(table, opts)) {
    if (col.kind === 'categorical') features.push(categoricalProfile(col, keep));
    else features.push(opts.profiled?.get(col.name) ?? numericProfile(col.name, col.values, keep));
  }
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    created_at: new Date().toISOString(),
    source: table.source ?? '',
    dataset: opts.dataset ?? 'Generic',
    label: labelCol?.name ?? null,
    rows: keep ? keep.length : table.rowCount,
    columns: table.columns.map((c) => c.name),
    labels: labelCol ? labelCounts(labelCol, keep) : {},
    features,
  };
}

/** The columns buildProfile profiles as features: all but the label and the dropped ones. */
export function featureColumns(table: Table, opts: Pick<BuildProfileOptions, 'label' | 'dropColumns'>): Column[] {
  const drop = new Set(opts.dropColumns ?? []);
  return table.columns.filter((c) => c.name !== opts.label && !drop.has(c.name));
}

/** Rows whose label is present (the seed drops rows with a missing label); null = every row. */
export function keptRows(rowCount: number, label: Column | undefined): Int32Array | null {
  if (!label) return null;
  const out: number[] = [];
  for (let i = 0; i < rowCount; i++) {
    const present = label.kind === 'numeric' ? !Number.isNaN(label.values[i]) : label.codes[i] >= 0;
    if (present) out.push(i);
  }
  return out.length === rowCount ? null : Int32Array.from(out);
}

function labelCounts(col: Column, keep: Int32Array | null): Record<string, number> {
  const counts: Record<string, number> = {};
  const n = keep ? keep.length : col.kind === 'numeric' ? col.values.length : col.codes.length;
  for (let k = 0; k < n; k++) {
    const i = keep ? keep[k] : k;
    const key = col.kind === 'numeric' ? String(col.values[i]) : col.categories[col.codes[i]];
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function categoricalProfile(col: Column, keep: Int32Array | null): CategoricalProfile {
  const n = keep ? keep.length : col.kind === 'numeric' ? col.values.length : col.codes.length;
  const counts = new Map<string, number>();
  let missing = 0;
  for (let k = 0; k < n; k++) {
    const i = keep ? keep[k] : k;
    let key: string | undefined;
    if (col.kind === 'categorical') key = col.codes[i] >= 0 ? col.categories[col.codes[i]] : undefined;
    else key = Number.isNaN(col.values[i]) ? undefined : String(col.values[i]);
    if (key === undefined) missing++;
    else counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, MAX_CATEGORIES);
  const other = ranked.slice(MAX_CATEGORIES).reduce((s, [, c]) => s + c, 0);
  return { name: col.name, kind: 'categorical', n, missing, missing_rate: n ? missing / n : 0, categories: Object.fromEntries(kept), other };
}

// ---------- files ----------

export function saveProfile(file: string, profile: BaselineProfile): void {
  // one feature per line: a wide table's profile is tens of MB, written piece by piece
  writeJsonAtomicByLines(file, profile, 'features');
}

/** Loads a profile written by saveProfile, or the seed's training_stats.json (converted). */
export function loadProfile(file: string): BaselineProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new DriftCatcherError(`profile not found`, 'NOT_FOUND', { file });
    throw new DriftCatcherError(`not a JSON profile: ${err.message}`, 'BAD_INPUT', { file });
  }
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === PROFILE_FORMAT) {
    const parsed = ProfileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DriftCatcherError(`invalid profile at ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'BAD_INPUT', { file });
    }
    return parsed.data;
  }
  const seed = SeedStatsSchema.safeParse(raw);
  if (seed.success && Object.keys(seed.data).length) return fromSeedStats(seed.data, file);
  throw new DriftCatcherError(
    `not a DriftCatcher profile (no "format": "${PROFILE_FORMAT}") nor a seed training_stats.json (feature -> {mean, std, min, max, deciles, expected_dist})`,
    'BAD_INPUT',
    { file },
  );
}

// ---------- the seed's training_stats.json ----------

/** The seed's per-feature stats: mean, std, min, max, the 11 deciles (also called quantiles) and expected_dist. */
const SeedFeatureSchema = z
  .object({
    mean: z.number().nullable(),
    std: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    deciles: z.array(z.number()).optional(),
    quantiles: z.array(z.number()).optional(),
    expected_dist: z.array(z.number()),
    missing_rate: z.number().min(0).max(1).optional(),
    count: z.number().optional(),
  })
  .refine((f) => (f.deciles ?? f.quantiles)?.length === f.expected_dist.length + 1, {
    message: 'deciles must have one more entry than expected_dist',
  });
const SeedStatsSchema = z.record(z.string(), SeedFeatureSchema);

/**
 * Converts the seed's histogram over the 11 deciles to the product's open-ended PSI bins. Both use bins
 * [e_i, e_{i+1}); baseline values never lie outside [e_0, e_10], so the outer bins map one to one, and bins
 * between repeated deciles (empty by construction) merge. The seed dropped missing values: the missing bin gets
 * `missing_rate` when the file has it, else 0. The KS/Wasserstein sketch is the deciles themselves (coarse).
 */
function fromSeedStats(stats: z.infer<typeof SeedStatsSchema>, file: string): BaselineProfile {
  const features: NumericProfile[] = Object.entries(stats).map(([name, s]) => {
    const deciles = (s.deciles ?? s.quantiles)!;
    const missingRate = s.missing_rate ?? 0;
    const interior = deciles.slice(1, -1);
    const edges = interior.filter((v, i) => i === 0 || v !== interior[i - 1]);
    const expected = new Array<number>(edges.length + 2).fill(0);
    s.expected_dist.forEach((p, i) => {
      // histogram bin i starts at deciles[i]; its open-ended bin is the number of unique interior edges ≤ deciles[i]
      const bin = i === 0 ? 0 : upperBound(edges, deciles[i]);
      expected[bin] += p * (1 - missingRate);
    });
    expected[edges.length + 1] = missingRate;
    const cdf = deciles.map((_, i) => i / (deciles.length - 1));
    const valueCdf = deciles.map((v, i) => [v, cdf[i]] as const).filter(([v], i) => i + 1 === deciles.length || v !== deciles[i + 1]);
    const n = s.count ?? 0;
    return {
      name,
      kind: 'numeric',
      n,
      missing: Math.round(n * missingRate),
      missing_rate: missingRate,
      mean: s.mean,
      std: s.std,
      min: s.min,
      max: s.max,
      deciles,
      expected_dist: s.expected_dist,
      psi: { edges, expected },
      // the deciles carry no tie information: treat the seed's baseline as continuous (F(x−) = F(x))
      sketch: { values: valueCdf.map(([v]) => v), cdf: valueCdf.map(([, c]) => c), cdf_left: valueCdf.map(([, c]) => c) },
    };
  });
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    created_at: new Date().toISOString(),
    source: file,
    dataset: 'Generic',
    label: null,
    rows: features[0]?.n ?? 0,
    columns: features.map((f) => f.name),
    labels: {},
    features,
  };
}

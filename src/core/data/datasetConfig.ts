import type { DatasetList } from '../protocol';
import { DriftCatcherError } from '../util/errors';

/**
 * Dataset configurations are data, not code: which column is the label, how labels map to classes, which columns
 * are categorical or never features. Two are built in (`CICIDS2017`, `Generic`); users add their own under
 * `datasets` in driftcatcher.config.json and pick one with `dataset` / `--dataset NAME`.
 */
export interface DatasetConfig {
  name: string;
  /** one of DATASETS (its columns are defaults that may be absent); a user's config must name existing columns */
  builtin?: boolean;
  /** label column; when absent, auto-detected (LABEL_GUESSES, then COMMON_LABELS, case-insensitive) */
  label?: string;
  /** binary: this class against every other (which are merged) */
  positiveClass?: string;
  /** binary: this class against every other; default BENIGN, the smallest number, else the most frequent */
  negativeClass?: string;
  /** keep every class instead of mapping to binary */
  multiClass?: boolean;
  /** columns used as categorical features even when they hold numbers (booleans, small integer codes) */
  categorical?: string[];
  /** columns never used as features (ids, free text) */
  dropColumns?: string[];
  /** a timestamp column: kept in the data and the profile, never a feature */
  timeColumn?: string;
  /** validation gate floors for this data, beneath the workspace's `validation` (which wins where it sets one) */
  validation?: { accuracy?: number; precision?: number; recall?: number; f1?: number };
}

/** Label names looked for first, exactly as written (the seed's list). */
export const LABEL_GUESSES = ['Label', 'label', 'target', 'class', 'y'];
/** Then these, ignoring case: the usual names of a label in business and research tables. */
export const COMMON_LABELS = ['target', 'label', 'class', 'y', 'outcome', 'status', 'churn', 'churned', 'default', 'fraud', 'is_fraud', 'response', 'result', 'diagnosis', 'survived', 'approved', 'species', 'category'];

export const DATASETS: Record<string, DatasetConfig> = {
  CICIDS2017: { name: 'CICIDS2017', builtin: true, label: 'Label', negativeClass: 'BENIGN', dropColumns: ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp'], validation: { accuracy: 0.9, precision: 0.85, recall: 0.85, f1: 0.85 } },
  Generic: { name: 'Generic', builtin: true },
};

/** What a `datasets` entry in driftcatcher.config.json holds (validated by the config schema). */
export interface DatasetConfigEntry {
  label?: string;
  positiveClass?: string;
  task?: 'binary' | 'multiclass';
  categorical?: string[];
  drop?: string[];
  timeColumn?: string;
  validation?: DatasetConfig['validation'];
}

/**
 * The dataset config named `name` (case-insensitive): the user's `datasets` entries first, then the built-in ones.
 * An unknown name is an error that lists the known ones.
 */
export function resolveDataset(name: string | undefined, user: Record<string, DatasetConfigEntry> = {}): DatasetConfig {
  const want = (name ?? 'Generic').trim();
  const key = want.toLowerCase();
  const own = Object.entries(user).find(([n]) => n.toLowerCase() === key);
  if (own) return fromEntry(own[0], own[1]);
  const builtin = Object.values(DATASETS).find((d) => d.name.toLowerCase() === key);
  if (builtin) return builtin;
  const known = knownDatasets(user).map((d) => d.name);
  throw new DriftCatcherError(`unknown dataset '${want}'; known datasets: ${known.join(', ')} (add your own under "datasets" in driftcatcher.config.json)`, 'BAD_INPUT');
}

/** Every dataset config a workspace can name: its own `datasets` first, then the built-in ones it does not shadow. */
export function knownDatasets(user: Record<string, DatasetConfigEntry> = {}): DatasetConfig[] {
  const own = Object.entries(user).map(([n, e]) => fromEntry(n, e));
  const taken = new Set(own.map((d) => d.name.toLowerCase()));
  return [...own, ...Object.values(DATASETS).filter((d) => !taken.has(d.name.toLowerCase()))];
}

/** What the editor offers for the `dataset` setting: the known configs and the one in use. */
export function listDatasets(config: { dataset: string; datasets: Record<string, DatasetConfigEntry> }): DatasetList {
  return {
    current: datasetOf(config).name,
    datasets: knownDatasets(config.datasets).map((d) => ({
      name: d.name,
      builtin: d.builtin === true,
      ...(d.label ? { label: d.label } : {}),
      task: d.multiClass ? 'multiclass' : 'binary',
      ...(d.positiveClass ? { positiveClass: d.positiveClass } : {}),
    })),
  };
}

function fromEntry(name: string, e: DatasetConfigEntry): DatasetConfig {
  const categorical = e.categorical ?? [];
  const drop = e.drop ?? [];
  const both = categorical.filter((c) => drop.includes(c));
  if (both.length) {
    throw new DriftCatcherError(`dataset '${name}': ${both.map((b) => `'${b}'`).join(', ')} listed in both "categorical" and "drop"; keep it in one`, 'BAD_INPUT');
  }
  if (e.timeColumn !== undefined && categorical.includes(e.timeColumn)) {
    throw new DriftCatcherError(`dataset '${name}': the time column '${e.timeColumn}' cannot also be categorical`, 'BAD_INPUT');
  }
  if (e.label !== undefined && [...categorical, ...drop].includes(e.label)) {
    throw new DriftCatcherError(`dataset '${name}': the label '${e.label}' cannot also be listed in "categorical" or "drop"`, 'BAD_INPUT');
  }
  return {
    name,
    label: e.label,
    positiveClass: e.positiveClass,
    multiClass: e.task === 'multiclass',
    categorical,
    dropColumns: drop,
    timeColumn: e.timeColumn,
    validation: e.validation,
  };
}

/** The dataset config a workspace configuration selects. */
export function datasetOf(config: { dataset: string; datasets: Record<string, DatasetConfigEntry> }): DatasetConfig {
  return resolveDataset(config.dataset, config.datasets);
}

/**
 * Columns a dataset config names that a file lacks: one error naming them and the file's columns (a typo in
 * driftcatcher.config.json should not silently train on the wrong columns).
 */
export function requireDatasetColumns(dataset: DatasetConfig, header: string[]): void {
  if (dataset.builtin) return;
  const have = new Set(header.map((h) => h.trim()));
  const named = [...(dataset.label ? [dataset.label] : []), ...(dataset.categorical ?? []), ...(dataset.dropColumns ?? []), ...(dataset.timeColumn ? [dataset.timeColumn] : [])];
  const missing = named.filter((c) => !have.has(c.trim()));
  if (missing.length === 0) return;
  const shown = header.slice(0, 12).map((h) => `'${h.trim()}'`).join(', ') + (header.length > 12 ? `, … (${header.length} columns)` : '');
  throw new DriftCatcherError(
    `dataset '${dataset.name}' names column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}, which the file does not have (it has ${shown})`,
    'BAD_INPUT',
  );
}

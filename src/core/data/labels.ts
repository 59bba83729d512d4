import { DriftCatcherError } from '../util/errors';
import { COMMON_LABELS, LABEL_GUESSES, type DatasetConfig } from './datasetConfig';
import type { CategoricalColumn } from './table';

/**
 * The name of the positive class when several labels are merged into it: "not <negative>" from the data's own
 * class names, except for intrusion data (negative BENIGN), whose merged attacks keep the name ATTACK.
 */
export function mergedPositiveName(negative: string): string {
  return negative === 'BENIGN' ? 'ATTACK' : `not ${negative}`;
}

function listColumns(header: string[]): string {
  const shown = header.slice(0, 12).map((h) => `"${h}"`).join(', ');
  return header.length > 12 ? `${shown}, … (${header.length} columns)` : shown;
}

export interface LabelChoice {
  /** the label column's name (trimmed) */
  name: string;
  /** given by --label / the request, named by the dataset config, or detected from the usual names */
  how: 'given' | 'dataset' | 'detected';
}

/**
 * The label column: the explicit name if given, else the dataset's, else the first of LABEL_GUESSES present
 * exactly, else the first of COMMON_LABELS ignoring case. Header names are compared trimmed.
 */
export function labelChoice(header: string[], dataset: DatasetConfig, explicit?: string): LabelChoice {
  const names = header.map((h) => h.trim());
  if (explicit !== undefined && explicit.trim() !== '') {
    const want = explicit.trim();
    if (names.includes(want)) return { name: want, how: 'given' };
    throw new DriftCatcherError(`label column "${want}" not found; the file has ${listColumns(names)}`, 'LABEL');
  }
  if (dataset.label && names.includes(dataset.label.trim())) return { name: dataset.label.trim(), how: 'dataset' };
  for (const g of LABEL_GUESSES) if (names.includes(g)) return { name: g, how: 'detected' };
  const lower = names.map((n) => n.toLowerCase());
  for (const g of [...LABEL_GUESSES, ...COMMON_LABELS]) {
    const k = lower.indexOf(g.toLowerCase());
    if (k >= 0) return { name: names[k], how: 'detected' };
  }
  const tried = [...new Set([dataset.label, ...LABEL_GUESSES, ...COMMON_LABELS].filter(Boolean))].join(', ');
  throw new DriftCatcherError(
    `no label column found (looked for ${tried}); the file has ${listColumns(names)}. Name it with --label`,
    'LABEL',
  );
}

export function detectLabel(header: string[], dataset: DatasetConfig, explicit?: string): string {
  return labelChoice(header, dataset, explicit).name;
}

/** Most classes a label may have: more distinct values look like a numeric target or an id, not classes. */
export const MAX_CLASSES = 100;

export interface MapLabelsOptions {
  /** overrides dataset.multiClass */
  multiClass?: boolean;
  /** overrides dataset.negativeClass */
  negativeClass?: string;
  /** overrides dataset.positiveClass */
  positiveClass?: string;
  /**
   * Map onto an existing model's classes instead of deriving them (evaluation, retraining on new batches):
   * binary when 2 classes and not multiClass (classes[0] → 0, anything else → 1), else by name (unknown → error).
   * A single class in the data is fine then.
   */
  classes?: string[];
}

export interface MappedLabels {
  /** class index per row; -1 where the label is missing */
  y: Int32Array;
  classes: string[];
}

/**
 * Label strings → class indices. Binary by default: the negative class (configured, else `BENIGN` when present,
 * else the smallest when all labels are numbers, else the most frequent) → 0, every other label → 1; the positive
 * class is named after the only other label, or `not <negative>` when several are merged (`ATTACK` when the
 * negative is `BENIGN`, see mergedPositiveName). Multi-class keeps every label,
 * the negative first and the rest sorted.
 */
export function mapLabels(
  raw: ArrayLike<string | undefined> | CategoricalColumn,
  dataset: DatasetConfig,
  opts: MapLabelsOptions = {},
): MappedLabels {
  // dictionary-encode once so the mapping works per category, not per row
  let codes: Int32Array;
  let cats: string[];
  if (isCategorical(raw)) {
    codes = raw.codes;
    cats = raw.categories.map((c) => c.trim());
  } else {
    codes = new Int32Array(raw.length);
    cats = [];
    const index = new Map<string, number>();
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i]?.trim();
      if (s === undefined || s === '') {
        codes[i] = -1;
        continue;
      }
      let k = index.get(s);
      if (k === undefined) {
        k = cats.length;
        cats.push(s);
        index.set(s, k);
      }
      codes[i] = k;
    }
  }
  // categories can repeat after trimming: merge by name
  const counts = new Map<string, number>();
  const catCount = new Float64Array(cats.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) catCount[codes[i]]++;
  cats.forEach((c, k) => {
    if (catCount[k] > 0) counts.set(c, (counts.get(c) ?? 0) + catCount[k]);
  });
  const present = [...counts.keys()];
  const multiClass = opts.multiClass ?? dataset.multiClass ?? false;

  let classes: string[];
  let classOf: (name: string) => number;
  if (opts.classes) {
    classes = opts.classes.slice();
    if (!multiClass && classes.length === 2) {
      classOf = (n) => (n === classes[0] ? 0 : 1);
    } else {
      const idx = new Map(classes.map((c, i) => [c, i]));
      const unknown = present.filter((p) => !idx.has(p));
      if (unknown.length) {
        throw new DriftCatcherError(
          `labels ${unknown.map((u) => `"${u}"`).join(', ')} are not among the model's classes (${classes.join(', ')})`,
          'LABEL',
        );
      }
      classOf = (n) => idx.get(n)!;
    }
  } else {
    if (present.length === 0) throw new DriftCatcherError('the label column has no values', 'LABEL');
    if (present.length === 1) {
      throw new DriftCatcherError(
        `the label column has only one class ("${present[0]}"): a classifier needs at least two`,
        'LABEL',
      );
    }
    if (present.length > MAX_CLASSES) {
      throw new DriftCatcherError(
        `the label column has ${present.length} distinct values (at most ${MAX_CLASSES} classes): it looks like a numeric target or an id, not classes; name the label with --label`,
        'LABEL',
      );
    }
    const positive = opts.positiveClass ?? dataset.positiveClass;
    if (positive !== undefined && !multiClass) {
      if (!counts.has(positive)) {
        throw new DriftCatcherError(`the positive class "${positive}" does not occur in the label column (classes: ${present.slice(0, 20).join(', ')})`, 'LABEL');
      }
      const others = present.filter((p) => p !== positive);
      classes = [others.length === 1 ? others[0] : `not ${positive}`, positive];
      classOf = (n) => (n === positive ? 1 : 0);
    } else if (multiClass) {
      const negative = chooseNegative(counts, opts.negativeClass ?? dataset.negativeClass);
      classes = [negative, ...present.filter((p) => p !== negative).sort()];
      const idx = new Map(classes.map((c, i) => [c, i]));
      classOf = (n) => idx.get(n)!;
    } else {
      const negative = chooseNegative(counts, opts.negativeClass ?? dataset.negativeClass);
      const positives = present.filter((p) => p !== negative);
      classes = [negative, positives.length === 1 ? positives[0] : mergedPositiveName(negative)];
      classOf = (n) => (n === negative ? 0 : 1);
    }
  }
  const catClass = Int32Array.from(cats, (c) => classOf(c));
  const y = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) y[i] = codes[i] < 0 ? -1 : catClass[codes[i]];
  return { y, classes };
}

function chooseNegative(counts: Map<string, number>, configured: string | undefined): string {
  const present = [...counts.keys()];
  if (configured !== undefined) {
    if (counts.has(configured)) return configured;
    throw new DriftCatcherError(
      `the negative class "${configured}" does not occur in the label column (classes: ${present.join(', ')})`,
      'LABEL',
    );
  }
  if (counts.has('BENIGN')) return 'BENIGN';
  if (present.every((p) => /^[+-]?\d+(\.\d+)?$/.test(p))) {
    return present.reduce((a, b) => (Number(b) < Number(a) ? b : a));
  }
  // most frequent; ties broken by name so the choice is stable
  return present.reduce((a, b) => {
    const ca = counts.get(a)!;
    const cb = counts.get(b)!;
    return cb > ca || (cb === ca && b < a) ? b : a;
  });
}

function isCategorical(x: unknown): x is CategoricalColumn {
  return typeof x === 'object' && x !== null && (x as CategoricalColumn).kind === 'categorical';
}

/**
 * What differs between SQL engines when the drift accumulators are pushed down: quoting, exact number literals,
 * casts, the test for a finite double, how rows are counted per bucket (a map-valued aggregate, or GROUPING SETS)
 * and how order statistics are taken. Everything else — which aggregates a drift check needs — is in
 * driftQueries.ts / profileQueries.ts and is the same for every engine.
 */
export type DialectName = 'duckdb' | 'clickhouse' | 'postgresql' | 'spark' | 'trino';

/** How a column's SQL type is used: numbers are numeric features, text/booleans categorical, time only in --where. */
export type ColumnClass = 'numeric' | 'text' | 'boolean' | 'temporal' | 'unsupported';

/**
 * One bucket count the histogram query returns.
 * - regions: for a double `v` and ascending distinct thresholds t_0..t_{T-1}, the rows in each of the 2T+1
 *   regions (−∞, t_0), {t_0}, (t_0, t_1), {t_1}, …, {t_{T-1}}, (t_{T-1}, +∞) — region 2·lo + tie where lo = the
 *   number of thresholds below v and tie = (v equals t_lo) — then the rows whose v is NULL, NaN or ±∞: 2T+2 counts.
 * - codes: rows per value of an integer expression in 0..size−1.
 */
export type HistogramItem = { kind: 'regions'; v: string; thresholds: number[] } | { kind: 'codes'; code: string; size: number };

/** How many rows of one class a stratified sample takes; `key` is the class's SQL literal. */
export interface ClassQuota {
  key: string;
  quota: number;
}

/** A query and how to turn its result rows into one count array per item. */
export interface HistogramQuery {
  sql: string;
  decode(rows: unknown[][]): number[][];
}

/** Order statistics: for each column, the values at 0-based ranks among its finite values (ascending). */
export interface OrderStatsRequest {
  v: string;
  /** number of finite values of v (known from a previous query) */
  finite: number;
  ranks: number[];
}
export interface OrderStatsQuery {
  sql: string;
  /** per request: rank -> value */
  decode(rows: unknown[][]): Map<number, number>[];
}

export abstract class Dialect {
  abstract readonly name: DialectName;

  /** a quoted identifier */
  ident(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  /** a table name, optionally schema-qualified (validated by the source parser) */
  relation(table: string): string {
    return table
      .split('.')
      .map((p) => this.ident(p))
      .join('.');
  }

  str(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
  }

  /** a double literal the engine parses to exactly x (x finite); an exponent literal is a DOUBLE in most engines */
  num(x: number): string {
    return Object.is(x, -0) ? '0e0' : x.toExponential();
  }
  asDouble(col: string): string {
    return `CAST(${col} AS ${this.doubleType})`;
  }
  asText(col: string): string {
    return `CAST(${col} AS VARCHAR)`;
  }
  /** true for a finite double; false (not NULL) for NULL, NaN and ±∞ */
  abstract isFinite(v: string): string;
  /** true for NaN (NaN equals itself in some engines, so `v <> v` is no test) */
  abstract isNaN(v: string): string;
  /** a regular-expression full match (pattern in the engine's syntax, anchored by the caller) */
  abstract matches(text: string, pattern: string): string;
  abstract classify(type: string): ColumnClass;

  countIf(cond: string): string {
    return `count(CASE WHEN ${cond} THEN 1 END)`;
  }
  sumIf(x: string, cond: string): string {
    return `sum(CASE WHEN ${cond} THEN ${x} END)`;
  }
  minIf(x: string, cond: string): string {
    return `min(CASE WHEN ${cond} THEN ${x} END)`;
  }
  maxIf(x: string, cond: string): string {
    return `max(CASE WHEN ${cond} THEN ${x} END)`;
  }

  trim(text: string): string {
    return `trim(${text})`;
  }
  lower(text: string): string {
    return `lower(${text})`;
  }

  /**
   * A text cell read as our CSV reader reads it: a plain decimal (optional sign, fraction, exponent, surrounding
   * blanks) or inf/infinity is a number, blank or nan is missing, anything else is text.
   */
  textToDouble(col: string): string {
    const t = this.trim(col);
    return `CASE WHEN ${this.matches(t, DECIMAL_RE)} THEN CAST(${t} AS ${this.doubleType}) END`;
  }
  /** a non-missing cell that is not a number (counted as text) */
  textIsText(col: string): string {
    const t = this.lower(this.trim(col));
    return `(${col} IS NOT NULL AND NOT ${this.matches(t, NUMBER_OR_MISSING_RE)})`;
  }
  /** NULL, blank and nan text are missing, as in a CSV */
  textKey(col: string): string {
    const t = this.lower(this.trim(col));
    return `CASE WHEN ${t} = '' OR ${t} = 'nan' THEN NULL ELSE ${col} END`;
  }

  protected get doubleType(): string {
    return 'DOUBLE';
  }

  /**
   * integer code of a category key: its index in `categories`, `other` when not listed, `missing` for NULL.
   * NaN entries (a text category a numeric column cannot hold) keep their index but never match.
   */
  categoryCode(key: string, categories: (string | number)[], other: number, missing: number): string {
    const whens = usableCategories(categories).map(([c, i]) => `WHEN ${this.categoryLiteral(c)} THEN ${i}`);
    if (whens.length === 0) return `CASE WHEN ${key} IS NULL THEN ${missing} ELSE ${other} END`;
    return `CASE WHEN ${key} IS NULL THEN ${missing} ELSE CASE ${key} ${whens.join(' ')} ELSE ${other} END END`;
  }

  protected categoryLiteral(c: string | number): string {
    return typeof c === 'number' ? this.num(c) : this.str(c);
  }

  /** region code 2·lo + tie of a finite v over ascending thresholds T (the caller handles non-finite v) */
  regionCode(v: string, T: number[]): string {
    return caseTree(v, T, (x) => this.num(x), 0, T.length);
  }

  /** an ORDER BY key that shuffles rows by a hash of their values and a seed (deterministic sampling) */
  abstract sampleOrder(cols: string[], seed: number): string;

  /**
   * A stratified sample pushed down: from `inner` (a subquery with the columns `cols` and the class key `key`), per
   * class the first `quota` rows in the order of `order` (a seeded hash of the row), in that order. One query that
   * ranks rows per class with row_number(); an engine without window functions overrides it (one query per class).
   */
  stratifiedSample(cols: string[], inner: string, key: string, quotas: ClassQuota[], order: string): string[] {
    const list = cols.join(', ');
    const cases = quotas.map((q) => `WHEN ${q.key} THEN ${q.quota}`).join(' ');
    const ranked = `SELECT ${list}, ${key} AS sk, row_number() OVER (PARTITION BY ${key} ORDER BY ${order}) AS rn FROM ${inner}`;
    return [`SELECT ${list} FROM (${ranked}) AS ranked WHERE rn <= CASE sk ${cases} ELSE 0 END ORDER BY sk, rn`];
  }

  abstract histogram(items: HistogramItem[], from: string): HistogramQuery;
  abstract orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery;

  /** counts per item through GROUPING SETS (one scan; a row per bucket and item) */
  protected groupingSetsHistogram(items: HistogramItem[], from: string): HistogramQuery {
    const keys = items.map((it, i) => `${this.itemCode(it)} AS k${i}`);
    const sets = items.map((_, i) => `(k${i})`).join(', ');
    const sql = `SELECT ${items.map((_, i) => `k${i}`).join(', ')}, count(*) AS n FROM (SELECT ${keys.join(', ')} FROM ${from}) AS b GROUP BY GROUPING SETS (${sets})`;
    return {
      sql,
      decode: (rows) => {
        const out = items.map(itemSize).map((n) => new Array<number>(n).fill(0));
        for (const row of rows) {
          const n = toNumber(row[items.length]);
          for (let i = 0; i < items.length; i++) {
            if (row[i] === null || row[i] === undefined) continue;
            addCode(out[i], toNumber(row[i]), n);
            break;
          }
        }
        return out;
      },
    };
  }

  /** the integer code of an item: region code, 2T+1 for a non-finite v, or the item's own code */
  protected itemCode(it: HistogramItem): string {
    if (it.kind === 'codes') return it.code;
    return `CASE WHEN ${this.isFinite(it.v)} THEN ${this.regionCode(it.v, it.thresholds)} ELSE ${2 * it.thresholds.length + 1} END`;
  }

  /** order statistics through a window: each column sorted once, the wanted ranks kept */
  protected windowOrderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    const parts = reqs.map(
      (r, i) =>
        `SELECT ${i} AS c, rn, v FROM (SELECT v, row_number() OVER (ORDER BY v) AS rn FROM (SELECT ${r.v} AS v FROM ${from}) AS s${i} WHERE ${this.isFinite('v')}) AS o${i} WHERE rn IN (${[...new Set(r.ranks)].map((k) => k + 1).join(', ')})`,
    );
    return {
      sql: parts.join('\nUNION ALL\n'),
      decode: (rows) => {
        const out = reqs.map(() => new Map<number, number>());
        for (const [c, rn, v] of rows) out[toNumber(c)].set(toNumber(rn) - 1, toNumber(v));
        return out;
      },
    };
  }
}

/** CSV-reader number syntax, for a trimmed cell */
export const DECIMAL_RE = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';
/** a lower-cased trimmed cell that is a number or missing (not text) */
export const NUMBER_OR_MISSING_RE = '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([e][+-]?[0-9]+)?|[+-]?inf|[+-]?infinity|nan|)$';

/** [category, index] pairs that can match (numeric NaN placeholders dropped, indices kept) */
export function usableCategories(categories: (string | number)[]): [string | number, number][] {
  return categories.map((c, i) => [c, i] as [string | number, number]).filter(([c]) => typeof c === 'string' || Number.isFinite(c));
}

export function itemSize(it: HistogramItem): number {
  return it.kind === 'codes' ? it.size : 2 * it.thresholds.length + 2;
}

export function addCode(counts: number[], code: number, n: number): void {
  if (Number.isInteger(code) && code >= 0 && code < counts.length) counts[code] += n;
}

/** A number from a driver value: numbers, bigints and numeric strings (64-bit counts arrive as strings). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const low = v.toLowerCase();
    if (low === 'nan') return NaN;
    if (low === 'inf' || low === 'infinity' || low === '+inf') return Infinity;
    if (low === '-inf' || low === '-infinity') return -Infinity;
    return Number(v);
  }
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v);
}

/** Shortest round-trip decimal of a finite double (what String() gives), with an exponent or a point. */
export function exactDecimal(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  if (Object.is(x, -0)) return '0.0';
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A balanced CASE tree over thresholds [lo, hi): log₂ T comparisons per row, one WHEN per threshold. */
function caseTree(v: string, T: number[], lit: (x: number) => string, lo: number, hi: number): string {
  if (lo >= hi) return String(2 * lo);
  const mid = (lo + hi) >>> 1;
  return `CASE WHEN ${v} < ${lit(T[mid])} THEN ${caseTree(v, T, lit, lo, mid)} WHEN ${v} = ${lit(T[mid])} THEN ${2 * mid + 1} ELSE ${caseTree(v, T, lit, mid + 1, hi)} END`;
}

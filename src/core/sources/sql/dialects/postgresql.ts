import { Dialect, type ColumnClass, type HistogramItem, type HistogramQuery, type OrderStatsQuery, type OrderStatsRequest } from '../dialect';

/**
 * PostgreSQL: `'x'::float8` literals (exact, strtod), NaN sorts above +Infinity, `width_bucket(v, thresholds)`
 * is the number of thresholds ≤ v (binary search), counts come from GROUPING SETS and order statistics from
 * `percentile_disc(fractions)`, which returns the value at rank ⌈f·n⌉ − 1.
 */
export class PostgresDialect extends Dialect {
  readonly name = 'postgresql' as const;

  override num(x: number): string {
    return `'${Object.is(x, -0) ? 0 : x}'::float8`;
  }
  override asText(col: string): string {
    return `CAST(${col} AS TEXT)`;
  }
  isFinite(v: string): string {
    return `coalesce(${v} > '-Infinity'::float8 AND ${v} < 'Infinity'::float8, false)`;
  }
  isNaN(v: string): string {
    return `(${v} = 'NaN'::float8)`;
  }
  matches(text: string, pattern: string): string {
    return `(${text} ~ ${this.str(pattern)})`;
  }
  protected override get doubleType(): string {
    return 'DOUBLE PRECISION';
  }
  classify(type: string): ColumnClass {
    const t = type.toLowerCase();
    if (t.endsWith('[]')) return 'unsupported';
    if (/^(smallint|integer|bigint|real|double precision|numeric|decimal|int[248]?|float[48]|oid)\b/.test(t)) return 'numeric';
    if (/^(text|character varying|varchar|character|char|bpchar|name|uuid|citext)\b/.test(t)) return 'text';
    if (t === 'boolean') return 'boolean';
    if (/^(date|time|timestamp|interval)/.test(t)) return 'temporal';
    return 'unsupported';
  }
  override regionCode(v: string, T: number[]): string {
    const arr = `ARRAY[${T.map((x) => this.num(x)).join(', ')}]`;
    // upper = thresholds ≤ v; tie when the largest of them equals v; region = 2·upper − tie
    return `(2 * width_bucket(${v}, ${arr}) - CASE WHEN width_bucket(${v}, ${arr}) > 0 AND (${arr})[width_bucket(${v}, ${arr})] = ${v} THEN 1 ELSE 0 END)`;
  }
  sampleOrder(cols: string[], seed: number): string {
    return `md5(concat_ws('|', ${[...cols.map((c) => `CAST(${c} AS TEXT)`), `'${Math.trunc(seed)}'`].join(', ')}))`;
  }

  histogram(items: HistogramItem[], from: string): HistogramQuery {
    return this.groupingSetsHistogram(items, from);
  }
  orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    const cols = reqs.map((r) => {
      const fractions = r.ranks.map((k) => `${(k + 0.5) / r.finite}`).join(', ');
      return `percentile_disc(ARRAY[${fractions}]::float8[]) WITHIN GROUP (ORDER BY ${r.v}) FILTER (WHERE ${this.isFinite(r.v)})`;
    });
    return {
      sql: `SELECT ${cols.join(',\n  ')} FROM ${from}`,
      decode: (rows) => {
        const row = rows[0] ?? [];
        return reqs.map((r, i) => new Map(r.ranks.map((k, j) => [k, Number((row[i] as unknown[] | null)?.[j])])));
      },
    };
  }
}

import { addCode, Dialect, itemSize, toNumber, type ColumnClass, type HistogramItem, type HistogramQuery, type OrderStatsQuery, type OrderStatsRequest } from '../dialect';

/**
 * Trino (generated only; covered by golden-SQL tests): exponent literals are DOUBLE, `width_bucket(v, bins)` is a
 * binary search, `histogram(code)` returns a map per item, order statistics by row_number().
 */
export class TrinoDialect extends Dialect {
  readonly name = 'trino' as const;

  isFinite(v: string): string {
    return `coalesce(is_finite(${v}), false)`;
  }
  isNaN(v: string): string {
    return `is_nan(${v})`;
  }
  matches(text: string, pattern: string): string {
    return `regexp_like(${text}, ${this.str(pattern)})`;
  }
  classify(type: string): ColumnClass {
    const t = type.toLowerCase();
    if (/^(tinyint|smallint|integer|bigint|real|double|decimal)/.test(t)) return 'numeric';
    if (/^(varchar|char|uuid)/.test(t)) return 'text';
    if (t === 'boolean') return 'boolean';
    if (/^(date|time|timestamp|interval)/.test(t)) return 'temporal';
    return 'unsupported';
  }
  override regionCode(v: string, T: number[]): string {
    const arr = `ARRAY[${T.map((x) => this.num(x)).join(', ')}]`;
    return `(2 * width_bucket(${v}, ${arr}) - CASE WHEN width_bucket(${v}, ${arr}) > 0 AND element_at(${arr}, width_bucket(${v}, ${arr})) = ${v} THEN 1 ELSE 0 END)`;
  }
  sampleOrder(cols: string[], seed: number): string {
    return `xxhash64(to_utf8(concat_ws('|', ${[...cols.map((c) => `coalesce(CAST(${c} AS VARCHAR), '')`), `'${Math.trunc(seed)}'`].join(', ')})))`;
  }

  histogram(items: HistogramItem[], from: string): HistogramQuery {
    return {
      sql: `SELECT ${items.map((it) => `histogram(${this.itemCode(it)})`).join(',\n  ')} FROM ${from}`,
      decode: (rows) => {
        const row = rows[0] ?? [];
        return items.map((it, i) => {
          const out = new Array<number>(itemSize(it)).fill(0);
          for (const [k, n] of Object.entries((row[i] as Record<string, unknown>) ?? {})) addCode(out, toNumber(k), toNumber(n));
          return out;
        });
      },
    };
  }
  orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    return this.windowOrderStats(reqs, from);
  }
}

import { addCode, Dialect, itemSize, toNumber, type ColumnClass, type HistogramItem, type HistogramQuery, type OrderStatsQuery, type OrderStatsRequest } from '../dialect';

/**
 * DuckDB (embedded): exponent literals are DOUBLE, `histogram(v, thresholds)` counts per region natively (the
 * bucket of a value is the smallest threshold ≥ it) and `histogram_exact` counts the ties; maps come back as
 * [{key, value}] lists.
 */
export class DuckdbDialect extends Dialect {
  readonly name = 'duckdb' as const;

  isFinite(v: string): string {
    return `coalesce(isfinite(${v}), false)`;
  }
  isNaN(v: string): string {
    return `isnan(${v})`;
  }
  matches(text: string, pattern: string): string {
    return `regexp_full_match(${text}, ${this.str(pattern)})`;
  }
  classify(type: string): ColumnClass {
    const t = type.toUpperCase();
    if (/\[\d*\]$|^(STRUCT|MAP|UNION|LIST|ARRAY)\b/.test(t)) return 'unsupported';
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|INT\d*)\b/.test(t)) return 'numeric';
    if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|UUID|ENUM)\b/.test(t)) return 'text';
    if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
    if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(t)) return 'temporal';
    return 'unsupported';
  }

  sampleOrder(cols: string[], seed: number): string {
    return `hash(${cols.join(', ')}, ${Math.trunc(seed)})`;
  }

  histogram(items: HistogramItem[], from: string): HistogramQuery {
    const aggs: string[] = [];
    const slots: number[][] = [];
    for (const it of items) {
      const first = aggs.length;
      if (it.kind === 'codes') aggs.push(`histogram(${it.code})`);
      else {
        const fin = this.isFinite(it.v);
        if (it.thresholds.length === 0) aggs.push(`count(*) FILTER (WHERE ${fin})`);
        else {
          const list = `[${it.thresholds.map((x) => this.num(x)).join(', ')}]`;
          aggs.push(`histogram(${it.v}, ${list}) FILTER (WHERE ${fin})`, `histogram_exact(${it.v}, ${list}) FILTER (WHERE ${fin})`);
        }
        aggs.push(`count(*) FILTER (WHERE NOT ${fin})`);
      }
      slots.push(Array.from({ length: aggs.length - first }, (_, k) => first + k));
    }
    return {
      sql: `SELECT ${aggs.join(',\n  ')} FROM ${from}`,
      decode: (rows) => {
        const row = rows[0] ?? [];
        return items.map((it, i) => {
          const out = new Array<number>(itemSize(it)).fill(0);
          const s = slots[i];
          if (it.kind === 'codes') {
            for (const { key, value } of mapEntries(row[s[0]])) addCode(out, toNumber(key), toNumber(value));
            return out;
          }
          const T = it.thresholds;
          out[2 * T.length + 1] = toNumber(row[s[s.length - 1]]);
          if (T.length === 0) {
            out[0] = toNumber(row[s[0]]);
            return out;
          }
          // histogram: bucket = smallest threshold ≥ v (its index is lo), "Infinity" above the last; exact: ties
          const index = new Map(T.map((t, j) => [t, j]));
          const at = (key: unknown): number => {
            const k = toNumber(key);
            return k === Infinity ? T.length : (index.get(k) ?? -1);
          };
          for (const { key, value } of mapEntries(row[s[0]])) addCode(out, 2 * at(key), toNumber(value));
          for (const { key, value } of mapEntries(row[s[1]])) {
            const j = at(key);
            if (j < 0 || j >= T.length) continue;
            const n = toNumber(value);
            out[2 * j] -= n;
            out[2 * j + 1] += n;
          }
          return out;
        });
      },
    };
  }

  orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    return this.windowOrderStats(reqs, from);
  }
}

function mapEntries(v: unknown): { key: unknown; value: unknown }[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v as { key: unknown; value: unknown }[];
  if (typeof v === 'object' && 'entries' in (v as object)) return (v as { entries: { key: unknown; value: unknown }[] }).entries;
  return [];
}

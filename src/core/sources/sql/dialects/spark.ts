import { Dialect, type ColumnClass, type HistogramItem, type HistogramQuery, type OrderStatsQuery, type OrderStatsRequest } from '../dialect';

/**
 * Spark SQL (generated only; covered by golden-SQL tests): backtick identifiers, `CAST('x' AS DOUBLE)` literals
 * (a plain decimal would be DECIMAL), NaN sorts above +Infinity as in PostgreSQL, regions by a balanced CASE
 * tree, counts by GROUPING SETS, order statistics by row_number().
 */
export class SparkDialect extends Dialect {
  readonly name = 'spark' as const;

  override ident(name: string): string {
    return `\`${name.replace(/`/g, '``')}\``;
  }
  override str(s: string): string {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  override num(x: number): string {
    return `CAST('${Object.is(x, -0) ? 0 : x}' AS DOUBLE)`;
  }
  override asText(col: string): string {
    return `CAST(${col} AS STRING)`;
  }
  isFinite(v: string): string {
    return `coalesce(NOT isnan(${v}) AND abs(${v}) < CAST('Infinity' AS DOUBLE), false)`;
  }
  isNaN(v: string): string {
    return `isnan(${v})`;
  }
  matches(text: string, pattern: string): string {
    return `(${text} RLIKE ${this.str(pattern)})`;
  }
  classify(type: string): ColumnClass {
    const t = type.toLowerCase();
    if (/^(tinyint|smallint|int|integer|bigint|float|double|decimal|byte|short|long)/.test(t)) return 'numeric';
    if (/^(string|varchar|char)/.test(t)) return 'text';
    if (t === 'boolean') return 'boolean';
    if (/^(date|timestamp|interval)/.test(t)) return 'temporal';
    return 'unsupported';
  }
  sampleOrder(cols: string[], seed: number): string {
    return `hash(${cols.join(', ')}, ${Math.trunc(seed)})`;
  }

  histogram(items: HistogramItem[], from: string): HistogramQuery {
    return this.groupingSetsHistogram(items, from);
  }
  orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    return this.windowOrderStats(reqs, from);
  }
}

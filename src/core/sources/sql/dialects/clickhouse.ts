import { addCode, Dialect, exactDecimal, itemSize, toNumber, usableCategories, type ClassQuota, type ColumnClass, type HistogramItem, type HistogramQuery, type OrderStatsQuery, type OrderStatsRequest } from '../dialect';

/**
 * ClickHouse (tested against 18.16, served over HTTP): decimal literals parse exactly (its CSV input parser does
 * not, so tests load doubles as RowBinary), `if` evaluates both branches, so regions are found by a branch-free
 * binary search over a constant array padded to a power of two with +inf, and counted with `sumMap`.
 * Order statistics come from the sorted array of the column's finite values.
 */
export class ClickhouseDialect extends Dialect {
  readonly name = 'clickhouse' as const;

  override ident(name: string): string {
    return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
  }
  override str(s: string): string {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  override num(x: number): string {
    return exactDecimal(x);
  }
  /** NULL becomes NaN: keys of sumMap must not be Nullable, and NaN is missing like NULL */
  override asDouble(col: string): string {
    return `ifNull(toFloat64(${col}), nan)`;
  }
  override asText(col: string): string {
    return `toString(${col})`;
  }
  isFinite(v: string): string {
    return `ifNull(isFinite(${v}), 0)`;
  }
  isNaN(v: string): string {
    return `isNaN(${v})`;
  }
  matches(text: string, pattern: string): string {
    return `match(${text}, ${this.str(pattern)})`;
  }
  override trim(text: string): string {
    return `replaceRegexpAll(${text}, '^[ ]+|[ ]+$', '')`;
  }
  protected override get doubleType(): string {
    return 'Float64';
  }
  override textToDouble(col: string): string {
    const t = this.trim(col);
    return `ifNull(if(${this.matches(t, '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$')}, toFloat64OrNull(${t}), NULL), nan)`;
  }
  classify(type: string): ColumnClass {
    const t = type.replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2').replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2');
    if (/^(Array|Tuple|Nested|Map)\(/.test(t)) return 'unsupported';
    if (/^(U?Int(8|16|32|64)|Float(32|64)|Decimal)/.test(t)) return 'numeric';
    if (/^(String|FixedString|Enum8|Enum16|UUID)/.test(t)) return 'text';
    if (/^(Date|DateTime)/.test(t)) return 'temporal';
    return 'unsupported';
  }
  override categoryCode(key: string, categories: (string | number)[], other: number, missing: number): string {
    const usable = usableCategories(categories);
    if (usable.length === 0) return `if(isNull(${key}), ${missing}, ${other})`;
    const from = `[${usable.map(([c]) => this.categoryLiteral(c)).join(', ')}]`;
    const to = `[${usable.map(([, i]) => i).join(', ')}]`;
    return `if(isNull(${key}), ${missing}, transform(assumeNotNull(${key}), ${from}, ${to}, ${other}))`;
  }

  sampleOrder(cols: string[], seed: number): string {
    return `cityHash64(${[...cols.map((c) => `ifNull(toString(${c}), '')`), `'${Math.trunc(seed)}'`].join(', ')})`;
  }

  /** no window functions before 21.x: one query per class, each ordered by the row hash and cut with LIMIT */
  override stratifiedSample(cols: string[], inner: string, key: string, quotas: ClassQuota[], order: string): string[] {
    return quotas.map((q) => `SELECT ${cols.join(', ')} FROM ${inner} WHERE ${key} = ${q.key} ORDER BY ${order} LIMIT ${q.quota}`);
  }

  histogram(items: HistogramItem[], from: string): HistogramQuery {
    const withs: string[] = [];
    const aggs = items.map((it, i) => {
      if (it.kind === 'codes') return `sumMap([toInt32(${it.code})], [toUInt64(1)])`;
      const T = it.thresholds;
      const fin = this.isFinite(it.v);
      if (T.length === 0) return `sumMap([toInt32(if(${fin}, 0, 1))], [toUInt64(1)])`;
      let size = 1;
      while (size < T.length + 1) size *= 2;
      withs.push(`[${[...T.map((x) => this.num(x)), ...new Array<string>(size - T.length).fill('inf')].join(', ')}] AS g${i}`);
      // position p = number of thresholds below v, found by halving steps; names are unique per item
      let p = '0';
      for (let step = size >> 1; step >= 1; step >>= 1) {
        const name = `p${i}_${step}`;
        withs.push(`(${p} + (arrayElement(g${i}, ${p} + ${step}) < ${it.v}) * ${step}) AS ${name}`);
        p = name;
      }
      return `sumMap([toInt32(if(${fin}, ${p} * 2 + (arrayElement(g${i}, ${p} + 1) = ${it.v}), ${2 * T.length + 1}))], [toUInt64(1)])`;
    });
    const sql = `${withs.length ? `WITH ${withs.join(',\n  ')}\n` : ''}SELECT ${aggs.join(',\n  ')} FROM ${from}`;
    return {
      sql,
      decode: (rows) => {
        const row = rows[0] ?? [];
        return items.map((it, i) => {
          const out = new Array<number>(itemSize(it)).fill(0);
          const [keys, values] = (row[i] as [unknown[], unknown[]] | undefined) ?? [[], []];
          keys.forEach((k, j) => addCode(out, toNumber(k), toNumber(values[j])));
          return out;
        });
      },
    };
  }

  orderStats(reqs: OrderStatsRequest[], from: string): OrderStatsQuery {
    const inner = reqs.map((r, i) => `arraySort(groupArrayIf(${r.v}, ${this.isFinite(r.v)})) AS s${i}`).join(', ');
    const outer = reqs.map((r, i) => `[${r.ranks.map((k) => `arrayElement(s${i}, ${k + 1})`).join(', ')}]`).join(', ');
    return {
      sql: `SELECT ${outer} FROM (SELECT ${inner} FROM ${from})`,
      decode: (rows) => {
        const row = rows[0] ?? [];
        return reqs.map((r, i) => new Map(r.ranks.map((k, j) => [k, toNumber((row[i] as unknown[])[j])])));
      },
    };
  }
}

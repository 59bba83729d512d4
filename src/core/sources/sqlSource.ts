import type { Table } from '../data/table';
import { TableBuilder } from '../data/tableBuilder';
import type { AccumulatorState } from '../drift/driftReport';
import type { BaselineProfile } from '../drift/profile';
import { DriftCatcherError } from '../util/errors';
import { fromClause, readAsKey, readAsNumber } from './sql/columns';
import { toNumber } from './sql/dialect';
import { driftState } from './sql/driftQueries';
import type { SqlEngine } from './sql/engine';
import { profileTable } from './sql/profileQueries';
import { keyString } from './sql/driftQueries';
import type { DataSource, SourceProfileOptions, SourceRunOptions, SourceSampleOptions } from './source';

/** A dataset inside a SQL engine: every operation is pushed down as aggregate SQL (sql/driftQueries.ts). */
export class SqlSource implements DataSource {
  private checked = false;

  constructor(
    private readonly sql: SqlEngine,
    readonly engine: 'duckdb' | 'clickhouse' | 'postgresql',
    /** the checked --where predicate, if any */
    private readonly where?: string,
  ) {}

  get display(): string {
    return this.sql.display + (this.where !== undefined ? ` where ${this.where}` : '');
  }

  async header(signal?: AbortSignal): Promise<string[]> {
    return (await this.sql.columns(signal)).map((c) => c.name);
  }

  async driftState(profile: BaselineProfile, opts: SourceRunOptions = {}): Promise<AccumulatorState> {
    await this.checkWhere(opts.signal);
    return driftState(this.sql, profile, { where: this.where, signal: opts.signal, onProgress: (d, t) => opts.onProgress?.(d / t) });
  }

  async profile(opts: SourceProfileOptions): Promise<BaselineProfile> {
    await this.checkWhere(opts.signal);
    const header = await this.header(opts.signal);
    const profile = await profileTable(this.sql, {
      label: opts.label(header),
      dataset: opts.dataset,
      dropColumns: opts.dropColumns,
      where: this.where,
      signal: opts.signal,
      onProgress: (d, t) => opts.onProgress?.(d / t),
    });
    profile.source = this.display;
    return profile;
  }

  /**
   * The first maxRows rows in the order of a hash of the row's values (salted with the seed): a pseudo-random
   * sample the engine draws without moving the table, the same for the same data.
   */
  async sample(opts: SourceSampleOptions): Promise<Table> {
    await this.checkWhere(opts.signal);
    const d = this.sql.dialect;
    const all = await this.sql.columns(opts.signal);
    const cols = opts.columns ? all.filter((c) => opts.columns!.includes(c.name)) : all;
    const reads = cols.map((c) => {
      if (c.cls === 'numeric') return { c, sql: readAsNumber(d, c, this.sql.display).value, numeric: true };
      if (c.cls === 'text' || c.cls === 'boolean' || c.cls === 'temporal') return { c, sql: readAsKey(d, c, this.sql.display).key, numeric: false };
      return null;
    });
    const usable = reads.filter((r): r is NonNullable<typeof r> => r !== null);
    if (usable.length === 0) throw new DriftCatcherError(`${this.sql.display}: no column can be sampled`, 'BAD_INPUT');
    const select = usable.map((r, i) => `${r.sql} AS s${i}`);
    const from = fromClause(this.sql.relation, select, this.where !== undefined ? [`(${this.where})`] : []);
    const order = d.sampleOrder(usable.map((_, i) => `s${i}`), opts.seed ?? 42);
    const rows = await this.sql.query(`SELECT ${usable.map((_, i) => `s${i}`).join(', ')} FROM ${from} ORDER BY ${order} LIMIT ${Math.max(0, Math.floor(opts.maxRows))}`, opts.signal);
    const n = rows.length;
    const builder = new TableBuilder();
    const header = usable.map((r) => r.c.name);
    builder.setHeader(header);
    if (n > 0) {
      builder.add({
        header,
        startRow: 0,
        rowCount: n,
        numbers: usable.map((r, j) => Float64Array.from(rows, (row) => (r.numeric ? numberOrNaN(row[j]) : NaN))),
        texts: usable.map((r, j) => (r.numeric ? null : rows.map((row) => (row[j] === null || row[j] === undefined ? undefined : keyString(row[j], 'text'))))),
        bytesRead: 0,
        totalBytes: 0,
      });
    }
    return builder.build(this.display);
  }

  async close(): Promise<void> {
    await this.sql.close();
  }

  /** a --where that does not parse or names unknown columns fails here, with the engine's reason, before any work */
  private async checkWhere(signal?: AbortSignal): Promise<void> {
    if (this.checked || this.where === undefined) return;
    try {
      await this.sql.query(`SELECT count(*) FROM (SELECT 1 AS one FROM ${this.sql.relation} WHERE (${this.where}) LIMIT 1) AS w`, signal);
    } catch (e) {
      const reason = e instanceof Error ? e.message.replace(`${this.sql.display}: query failed: `, '') : String(e);
      throw new DriftCatcherError(`${this.sql.display}: --where is not a valid predicate for this table: ${reason}`, 'BAD_INPUT');
    }
    this.checked = true;
  }
}

function numberOrNaN(v: unknown): number {
  return v === null || v === undefined ? NaN : toNumber(v);
}

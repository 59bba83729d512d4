import type { Table } from '../data/table';
import { TableBuilder } from '../data/tableBuilder';
import type { AccumulatorState } from '../drift/driftReport';
import type { BaselineProfile } from '../drift/profile';
import { DriftCatcherError } from '../util/errors';
import { proportionalQuota } from '../data/sampling';
import { fromClause, readAsKey, readAsNumber, type TableColumn } from './sql/columns';
import { toNumber } from './sql/dialect';
import { driftState } from './sql/driftQueries';
import type { SqlEngine } from './sql/engine';
import { profileTable } from './sql/profileQueries';
import { keyString } from './sql/driftQueries';
import type { DataSource, LabelledSample, LabelledSampleOptions, SourceProfileOptions, SourceRunOptions, SourceSampleOptions } from './source';

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
   * sample the engine draws without moving the table, the same for the same data. With `stored`, DuckDB returns a
   * file's or table's rows in their stored order when all of them fit.
   */
  async sample(opts: SourceSampleOptions): Promise<Table> {
    await this.checkWhere(opts.signal);
    const d = this.sql.dialect;
    const all = await this.sql.columns(opts.signal);
    const usable = this.cellReads(opts.columns ? all.filter((c) => opts.columns!.includes(c.name)) : all);
    const select = usable.map((r, i) => `${r.sql} AS s${i}`);
    const from = fromClause(this.sql.relation, select, this.where !== undefined ? [`(${this.where})`] : []);
    const cap = Math.max(0, Math.floor(opts.maxRows));
    const names = usable.map((_, i) => `s${i}`);
    const whole = opts.stored && this.engine === 'duckdb' && toNumber((await this.sql.query(`SELECT count(*) FROM ${from}`, opts.signal))[0]?.[0]) <= cap;
    const order = whole ? '' : ` ORDER BY ${d.sampleOrder(names, opts.seed ?? 42)} LIMIT ${cap}`;
    const rows = await this.sql.query(`SELECT ${names.join(', ')} FROM ${from}${order}`, opts.signal);
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

  /**
   * A labelled sample drawn in the engine with the CSV path's stratified caps: the rows per class are counted, each
   * class gets its proportional share of `maxRows` (data/sampling.ts's quota), and each class's share is the first
   * rows in the order of a seeded hash of the row. Only the sample leaves the engine. Every column a CSV could
   * hold is read as our reader would read it (numbers as doubles, text as text, missing as null), so the rows hash
   * like the same rows read from a CSV (the holdout ledger's row identity).
   */
  async labelledSample(opts: LabelledSampleOptions): Promise<LabelledSample> {
    await this.checkWhere(opts.signal);
    const d = this.sql.dialect;
    const all = await this.sql.columns(opts.signal);
    const header = all.map((c) => c.name);
    let labelName: string;
    try {
      labelName = opts.label(header);
    } catch (e) {
      if (e instanceof DriftCatcherError) throw new DriftCatcherError(`${this.sql.display}: ${e.message.replace(/the file has/, 'the source has')}`, e.code);
      throw e;
    }
    const labelCol = all.find((c) => c.name.trim() === labelName.trim());
    if (!labelCol) throw new DriftCatcherError(`${this.sql.display} has no label column "${labelName}"`, 'LABEL');
    const usable = this.cellReads(all);
    const key = readAsKey(d, labelCol, this.sql.display);
    const where = this.where !== undefined ? [`(${this.where})`] : [];
    const cols = usable.map((_, i) => `s${i}`);
    const inner = fromClause(this.sql.relation, [...usable.map((r, i) => `${r.sql} AS s${i}`), `${key.key} AS lk`], where);
    const counts = await this.sql.query(`SELECT lk, count(*) FROM ${inner} GROUP BY lk`, opts.signal);
    const classes = counts.filter((r) => r[0] !== null && r[0] !== undefined).map((r) => ({ value: r[0], n: toNumber(r[1]) }));
    const selected = counts.reduce((n, r) => n + toNumber(r[1]), 0);
    const labelled = classes.reduce((n, c) => n + c.n, 0);
    if (selected === 0) {
      throw new DriftCatcherError(
        this.where !== undefined ? `${this.display}: the --where predicate selects no rows` : `${this.sql.display} has no rows`,
        'BAD_INPUT',
      );
    }
    if (labelled === 0) throw new DriftCatcherError(`${this.sql.display}: no row has a value in the label column "${labelCol.name}"`, 'BAD_INPUT');
    const cap = Math.max(1, Math.floor(opts.maxRows));
    let queries: string[];
    // DuckDB returns a file's or table's rows in their stored order; a server's order may change between runs, so
    // there the rows come in row-hash order (the same sample file, hence the same ledger batch, every time)
    const stored = this.engine === 'duckdb' ? '' : ` ORDER BY ${d.sampleOrder(cols, opts.seed)}`;
    if (labelled <= cap) queries = [`SELECT ${cols.join(', ')} FROM ${inner} WHERE lk IS NOT NULL${stored}`];
    else {
      // classes in a fixed order (by their key) so the quota's tie-breaks do not depend on the engine's group order
      classes.sort((a, b) => compareKeys(a.value, b.value));
      const quota = proportionalQuota(classes.map((c) => c.n), cap);
      const literal = (v: unknown): string => (key.kind === 'number' ? d.num(toNumber(v)) : d.str(keyString(v, 'text')));
      const quotas = classes.map((c, i) => ({ key: literal(c.value), quota: quota[i] })).filter((q) => q.quota > 0);
      queries = d.stratifiedSample(cols, inner, 'lk', quotas, d.sampleOrder(cols, opts.seed));
    }
    const rows: (string | number)[][] = [];
    for (const q of queries) {
      for (const row of await this.sql.query(q, opts.signal)) {
        rows.push(usable.map((r, j) => (r.numeric ? numberOrNaN(row[j]) : row[j] === null || row[j] === undefined ? '' : keyString(row[j], 'text'))));
      }
    }
    return { header: usable.map((r) => r.c.name), label: labelCol.name, rows, selected, unlabelled: selected - labelled };
  }

  async close(): Promise<void> {
    await this.sql.close();
  }

  /** how each column is read into a row: numbers as doubles, everything a CSV could hold as text; other types are left out */
  private cellReads(cols: TableColumn[]): { c: TableColumn; sql: string; numeric: boolean }[] {
    const d = this.sql.dialect;
    const reads = cols.map((c) => {
      if (c.cls === 'numeric') return { c, sql: readAsNumber(d, c, this.sql.display).value, numeric: true };
      if (c.cls === 'text' || c.cls === 'boolean' || c.cls === 'temporal') return { c, sql: readAsKey(d, c, this.sql.display).key, numeric: false };
      return null;
    });
    const usable = reads.filter((r): r is NonNullable<typeof r> => r !== null);
    if (usable.length === 0) throw new DriftCatcherError(`${this.sql.display}: no column can be sampled`, 'BAD_INPUT');
    return usable;
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

/** numbers before text, numbers by value, text by code units */
function compareKeys(a: unknown, b: unknown): number {
  const x = typeof a === 'number' || typeof a === 'bigint' ? Number(a) : String(a);
  const y = typeof b === 'number' || typeof b === 'bigint' ? Number(b) : String(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'number') return -1;
  if (typeof y === 'number') return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function numberOrNaN(v: unknown): number {
  return v === null || v === undefined ? NaN : toNumber(v);
}

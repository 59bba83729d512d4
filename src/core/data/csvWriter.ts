import * as fs from 'node:fs';
import * as path from 'node:path';
import { siblingTempPath } from '../util/atomicWrite';
import type { Table } from './table';

/**
 * Streaming CSV writing: rows are buffered up to ~1 MiB and appended to a temp file next to the target,
 * which is fsynced and renamed over it on close, so readers never see a half-written CSV.
 */

export interface CsvWriteOptions {
  /** text written for NaN cells (default empty) */
  nan?: string;
}

const FLUSH_BYTES = 1 << 20;

/** A field quoted when RFC 4180 requires it (comma, quote, CR or LF inside). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatNumber(v: number, nan = ''): string {
  if (v !== v) return nan;
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

export class CsvRowWriter {
  private fh: fs.promises.FileHandle | undefined;
  private readonly tmp: string;
  private parts: string[] = [];
  private pending = 0;
  private closed = false;
  rows = 0;

  private constructor(
    readonly file: string,
    private readonly opts: CsvWriteOptions,
  ) {
    this.tmp = siblingTempPath(file);
  }

  /**
   * Opens `file`, lets `fill` write the rows, and closes it: the file appears complete or not at all (a throw in
   * `fill` discards the temp file).
   */
  static async write(file: string, header: string[], fill: (w: CsvRowWriter) => Promise<void>, opts: CsvWriteOptions = {}): Promise<void> {
    const w = await CsvRowWriter.open(file, header, opts);
    try {
      await fill(w);
      await w.close();
    } catch (e) {
      await w.abort();
      throw e;
    }
  }

  static async open(file: string, header: string[], opts: CsvWriteOptions = {}): Promise<CsvRowWriter> {
    const w = new CsvRowWriter(file, opts);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    w.fh = await fs.promises.open(w.tmp, 'w');
    w.push(header.map(csvField).join(','));
    return w;
  }

  /**
   * Appends one row; numbers are written in shortest round-trip form, NaN as opts.nan, ±Infinity spelled out.
   * Returns a promise only when the buffer is being flushed (await it then), so tight loops pay no per-row promise.
   */
  writeRow(cells: ReadonlyArray<string | number>): Promise<void> | undefined {
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (i > 0) line += ',';
      line += typeof c === 'number' ? formatNumber(c, this.opts.nan) : csvField(c);
    }
    this.push(line);
    this.rows++;
    return this.pending >= FLUSH_BYTES ? this.flush() : undefined;
  }

  private push(line: string): void {
    this.parts.push(line, '\n');
    this.pending += line.length + 1;
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const data = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    await this.fh!.write(data, null, 'utf8');
  }

  /** Flushes, fsyncs and renames the temp file over the target. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
      await this.fh!.sync();
      await this.fh!.close();
      this.fh = undefined;
      await fs.promises.rename(this.tmp, this.file);
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /** Drops the temp file; the target is untouched. */
  async abort(): Promise<void> {
    this.closed = true;
    if (this.fh) await this.fh.close().catch(() => undefined);
    this.fh = undefined;
    await fs.promises.rm(this.tmp, { force: true });
  }
}

/** Writes columns (numeric or text) as a CSV, atomically. All columns must have the same length. */
export async function writeCsv(
  file: string,
  header: string[],
  columns: ReadonlyArray<Float64Array | ReadonlyArray<string | undefined>>,
  opts: CsvWriteOptions = {},
): Promise<void> {
  if (header.length !== columns.length) {
    throw new RangeError(`writeCsv: ${header.length} header names but ${columns.length} columns`);
  }
  const n = columns.length ? columns[0].length : 0;
  columns.forEach((c, k) => {
    if (c.length !== n) throw new RangeError(`writeCsv: column "${header[k]}" has ${c.length} values, expected ${n}`);
  });
  await CsvRowWriter.write(
    file,
    header,
    async (w) => {
      const row: (string | number)[] = new Array(columns.length);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < columns.length; c++) {
          const col = columns[c];
          row[c] = col instanceof Float64Array ? col[i] : (col[i] ?? '');
        }
        const flushing = w.writeRow(row);
        if (flushing) await flushing;
      }
    },
    opts,
  );
}

/** A table as the CSV it would have been read from: numbers in round-trip form, categories as text, missing cells empty. */
export function writeTableCsv(file: string, t: Table): Promise<void> {
  return writeCsv(
    file,
    t.columns.map((c) => c.name),
    t.columns.map((c) => (c.kind === 'numeric' ? c.values : Array.from(c.codes, (k) => (k < 0 ? undefined : c.categories[k])))),
  );
}

import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { CancelledError, DriftCatcherError } from '../util/errors';
import type { RowBatch, Table } from './table';
import { TableBuilder } from './tableBuilder';
import { CELL_MISSING, CELL_NUMBER, classifyCell, POW10 } from './numberParse';
import { describeNonCsv } from './fileSniff';
import { columnNames, DEFAULT_MAX_COLUMNS, scanHeaderRecord } from './csvHeaderScan';

/**
 * Streaming RFC 4180 CSV reader working on bytes: fs chunks go straight into a tokenizer that parses
 * plain decimals without creating strings, so a CICIDS-sized file reads at memory speed. Only rows of the
 * current batch are held; a partial row at a chunk's end is carried to the next read.
 */

export interface StreamCsvOptions {
  /** rows per batch handed to onBatch (default 65536) */
  batchRows?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** stop after this many data rows */
  maxRows?: number;
  /** bytes per fs read (default 1 MiB) */
  chunkBytes?: number;
  /** refuse a header with more columns (default 20,000; csv.maxColumns) */
  maxColumns?: number;
  /** onBatch copies what it needs and keeps no array of the batch: the next batch may reuse them */
  reuseBatches?: boolean;
  /**
   * Parse only the rows that start in [start, end) of the file, with this header (the file's own header is not
   * read). `start` must be the start of a row; the reader finishes the row that crosses `end`, and reports in
   * `end` of the result where it stopped — exactly `end` when `end` is a row start (see data/parallelCsv.ts).
   * Line numbers in errors count from `start`.
   */
  range?: { start: number; end: number; header: string[] };
}

export interface StreamCsvResult {
  header: string[];
  rows: number;
  bytes: number;
  /** header names that repeated and were renamed (1-based column) */
  renamed: { column: number; from: string; to: string }[];
  /** file offset of the first data row, and where parsing stopped */
  dataStart: number;
  end: number;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;
/** 2^53: every integer below it is a double, and a mantissa computed below it was computed exactly */
const MAX_EXACT = 2 ** 53;
/** a row (with its quoted newlines) longer than this is refused instead of growing the buffer forever */
const MAX_ROW_BYTES = 256 * 1024 * 1024;
/** cells (rows × columns) per batch at most: 8 Mi cells = 64 MB of numbers, whatever the width */
const BATCH_CELLS = 8 << 20;
/** rows the first batch has room for before it grows */
const MIN_ROOM = 64;
const EMPTY = new Float64Array(0);
/** bytes at the start of a file checked for the signature of a non-CSV format (and for NUL bytes) */
const SNIFF_BYTES = 64 * 1024;
/**
 * Short text cells are compared with the last few distinct texts of their column to reuse their strings: a label or
 * category column alternates between a handful of values, and making a string (and classifying it) per cell was a
 * tenth of parsing such a file.
 */
const TEXT_CACHE_BYTES = 64;
const TEXT_CACHE_ENTRIES = 8;

export async function streamCsv(
  file: string,
  opts: StreamCsvOptions,
  onBatch: (b: RowBatch) => void | Promise<void>,
): Promise<StreamCsvResult> {
  const reader = new CsvByteReader(file, opts);
  try {
    return await reader.run(onBatch);
  } finally {
    await reader.close();
  }
}

export interface ReadTableOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** read only the first maxRows data rows */
  maxRows?: number;
  /** refuse a header with more columns (default 20,000; csv.maxColumns) */
  maxColumns?: number;
}

/** Reads a whole CSV into columns (numeric as Float64Array, text dictionary-encoded). */
export async function readTable(file: string, opts: ReadTableOptions = {}): Promise<Table> {
  const builder = new TableBuilder();
  const res = await streamCsv(
    file,
    { signal: opts.signal, onProgress: opts.onProgress, maxRows: opts.maxRows, maxColumns: opts.maxColumns, reuseBatches: true },
    (b) => builder.add(b),
  );
  builder.setHeader(res.header);
  return builder.build(file);
}

/**
 * The column names of a CSV (as readTable names them), reading only its header record: quoted names with commas
 * or newlines, a BOM, padding and repeated names are handled exactly as when the whole file is read.
 */
export async function readCsvHeader(file: string, opts: { signal?: AbortSignal; maxColumns?: number } = {}): Promise<string[]> {
  return (await streamCsv(file, { signal: opts.signal, maxColumns: opts.maxColumns, maxRows: 0, chunkBytes: 64 * 1024 }, () => undefined)).header;
}

/** result slots of readQuoted (module-level to avoid an object per quoted field) */
let qNext = 0;
let qValue = '';
let qLines = 0;

/**
 * Reads a quoted field starting at `start` (the opening quote). Returns false when the buffer ends before the
 * field does (the caller refills, or reports an unterminated quote at end of file).
 */
function readQuoted(buf: Buffer, start: number, end: number, eof: boolean): boolean {
  let j = start + 1;
  let seg = j;
  let value = '';
  for (;;) {
    let q = buf.indexOf(QUOTE, j);
    if (q >= end) q = -1;
    if (q < 0) return false;
    if (q + 1 >= end && !eof) return false; // cannot tell a closing quote from a doubled one yet
    if (q + 1 < end && buf[q + 1] === QUOTE) {
      value += buf.toString('utf8', seg, q + 1);
      j = q + 2;
      seg = j;
      continue;
    }
    value += buf.toString('utf8', seg, q);
    qNext = q + 1;
    break;
  }
  let lines = 0;
  for (let k = start; k < qNext; k++) if (buf[k] === LF) lines++;
  qValue = value;
  qLines = lines;
  return true;
}

const cellScratch = new Float64Array(1);

/**
 * A few rows that take every path of the parser: numbers plain, signed, with exponents and with more than 15 digits,
 * text (repeated: the text cache), quoted cells with doubled quotes and a newline, a quoted number, missing cells,
 * CRLF and blank lines, full batches, a row cut off by the end of the buffer. See CsvByteReader.prime.
 */
const PRIMER_HEADER = ['a', 'b', 'c', 'd'];
const PRIMER = 'a,b,c,d\n1,-2.5,x,"q ""r""\ns"\n12345678901.1234567,1e-5,x,"12"\r\n\n,+7E+2,Infinity,\n-0.5,3,yy,7\n8,9,10,11\n12,1,x,2';
let primed = false;
const PRIMER_PASSES = 8;

class CsvByteReader {
  private fh: fs.promises.FileHandle | undefined;
  private buf: Buffer;
  /** valid bytes in buf */
  private len = 0;
  /** parse position in buf */
  private pos = 0;
  /** file offset of buf[0] */
  private bufOffset = 0;
  /** bytes read from the file so far */
  private fileRead = 0;
  private totalBytes = 0;
  private eof = false;
  /** bytes of buf [0, validated) are known to be valid UTF-8 */
  private validated = 0;
  /** 1-based line number at pos */
  private line = 1;
  /** the previous row ended with CR: an LF right after belongs to it */
  private skipLF = false;
  /** with a range: rows starting at or after this file offset are not parsed */
  private rangeEnd = Infinity;
  private stopped = false;
  /** file offset of the first data row */
  private dataStart = 0;

  private header: string[] = [];
  private readonly renamed: StreamCsvResult['renamed'] = [];
  private ncols = 0;
  private readonly batchRowsWanted: number;
  /** rows per batch: batchRowsWanted, bounded by BATCH_CELLS / columns */
  private batchRows = 1;
  private readonly maxRows: number;
  private readonly maxColumns: number;
  private readonly chunk: number;
  private rowsDone = 0;
  /** rows in the current batch */
  private r = 0;
  /** rows the current batch may hold */
  private cap = 0;
  /** rows its column arrays have room for (grown on demand up to cap) */
  private room = 0;
  private nums: Float64Array[] = [];
  private texts: (Array<string | undefined> | null)[] = [];
  /** per column with text cells: its cached texts' bytes (TEXT_CACHE_BYTES each), lengths and strings */
  private cacheBytes: Array<Uint8Array | undefined> = [];
  private cacheLen: Array<Int32Array | undefined> = [];
  private cacheText: Array<string[] | undefined> = [];
  /** each column's cache entry to replace next */
  private cacheNext: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly file: string,
    private readonly opts: StreamCsvOptions,
  ) {
    this.batchRowsWanted = Math.max(1, Math.floor(opts.batchRows ?? 65536));
    this.maxColumns = Math.max(1, Math.floor(opts.maxColumns ?? DEFAULT_MAX_COLUMNS));
    this.maxRows = opts.maxRows === undefined ? Infinity : Math.max(0, Math.floor(opts.maxRows));
    this.chunk = Math.max(64, Math.floor(opts.chunkBytes ?? 1 << 20));
    this.buf = Buffer.allocUnsafe(this.chunk * 2);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close();
  }

  /**
   * Runs the parser once over PRIMER, in each thread before its first file. The optimizing compiler compiles parseRows
   * from what it has seen run: a path first taken after that (the first text cell, long number or row cut by a chunk's
   * end) throws the compiled code away and parsing crawls until it is recompiled — several times per thread, a
   * large part of reading a 50k-row file. Primed, the first compiled code covers every path.
   */
  private static prime(): void {
    if (primed) return;
    primed = true;
    // a few times over: a function records what it sees only from its first few calls on
    for (let k = 0; k < PRIMER_PASSES; k++) {
      const p = new CsvByteReader('', { batchRows: 2 });
      p.buf = Buffer.from(PRIMER, 'latin1');
      p.setHeader(PRIMER_HEADER);
      p.pos = p.dataStart = p.buf.indexOf(LF) + 1;
      p.len = p.totalBytes = p.buf.length;
      p.newBatch();
      for (let round = 0; round < 2; round++) {
        while (p.parseRows()) {
          p.rowsDone += p.r;
          p.newBatch();
        }
        p.eof = true; // the last row: first cut off by the buffer's end, then ended by the end of the file
      }
    }
  }

  async run(onBatch: (b: RowBatch) => void | Promise<void>): Promise<StreamCsvResult> {
    CsvByteReader.prime();
    try {
      this.fh = await fs.promises.open(this.file, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DriftCatcherError(`file not found: ${this.file}`, 'NOT_FOUND');
      if (code === 'EISDIR') throw new DriftCatcherError(`expected a CSV file but found a folder: ${this.file}`);
      throw new DriftCatcherError(`cannot open ${this.file}: ${(e as Error).message}`);
    }
    const st = await this.fh.stat();
    if (st.isDirectory()) throw new DriftCatcherError(`expected a CSV file but found a folder: ${this.file}`);
    this.totalBytes = st.size;
    const range = this.opts.range;
    if (range) {
      this.fileRead = this.bufOffset = range.start;
      this.rangeEnd = range.end;
      await this.fill();
      this.setHeader(range.header);
    } else {
      await this.fill();
      if (this.len >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.pos = 3;
      await this.readHeader();
    }
    const dataStart = (this.dataStart = this.bufOffset + this.pos);
    this.newBatch();
    for (;;) {
      if (this.rowsDone + this.r >= this.maxRows) break;
      const full = this.parseRows();
      if (full) {
        await this.emit(onBatch);
        this.newBatch();
        continue;
      }
      if (this.eof || this.stopped) break;
      await this.fill();
    }
    if (this.r > 0) await this.emit(onBatch);
    return { header: this.header, rows: this.rowsDone, bytes: this.totalBytes, renamed: this.renamed, dataStart, end: this.bufOffset + this.pos };
  }

  private err(message: string, line?: number, column?: number): DriftCatcherError {
    return new DriftCatcherError(message, 'BAD_INPUT', { file: this.file, line, column });
  }

  /** Moves the unparsed tail to the front, reads the next chunk and checks the new bytes are UTF-8. */
  private async fill(): Promise<void> {
    if (this.opts.signal?.aborted) throw new CancelledError(`reading ${this.file}`);
    const fh = this.fh!;
    const keep = this.len - this.pos;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.len);
      this.bufOffset += this.pos;
      this.validated = Math.max(0, this.validated - this.pos);
      this.pos = 0;
      this.len = keep;
    }
    if (this.buf.length - this.len < this.chunk) {
      if (keep > MAX_ROW_BYTES) {
        throw this.err(`a row is longer than ${MAX_ROW_BYTES >> 20} MiB; is a quote left open?`, this.line);
      }
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, keep + this.chunk * 2));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const { bytesRead } = await fh.read(this.buf, this.len, this.buf.length - this.len, this.fileRead);
    this.len += bytesRead;
    this.fileRead += bytesRead;
    if (this.fileRead === bytesRead && bytesRead > 0) this.sniff();
    if (bytesRead === 0 || this.fileRead >= this.totalBytes) {
      // a file that grows while being read is read up to its size at open time plus what this read got
      if (bytesRead === 0) this.eof = true;
    }
    this.validateUtf8();
    this.opts.onProgress?.(this.fileRead, Math.max(this.totalBytes, this.fileRead));
  }

  /** A PNG, a workbook, a compressed or UTF-16 file is named as what it is (before UTF-8 validation blames its bytes). */
  private sniff(): void {
    const what = describeNonCsv(this.buf.subarray(0, Math.min(this.len, SNIFF_BYTES)));
    if (what) throw this.err(what);
  }

  /** Validates up to the last complete character (all of it at end of file). */
  private validateUtf8(): void {
    const buf = this.buf;
    let upto = this.len;
    if (!this.eof) {
      let p = this.len - 1;
      const stop = Math.max(this.validated, this.len - 4);
      while (p >= stop && buf[p] >= 0x80 && buf[p] < 0xc0) p--;
      // p is an ASCII byte (ends a character) or a lead byte (starts one that may be incomplete)
      upto = p < this.validated ? this.validated : buf[p] < 0x80 ? p + 1 : p;
    }
    if (upto <= this.validated) return;
    if (!isUtf8(buf.subarray(this.validated, upto))) {
      const bad = firstInvalidUtf8(buf, this.validated, upto);
      let line = this.line;
      for (let k = this.pos; k < bad; k++) if (buf[k] === LF) line++;
      throw this.err(
        `invalid UTF-8 byte 0x${buf[bad].toString(16).padStart(2, '0')} at byte offset ${this.bufOffset + bad}; ` +
          'save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)',
        line,
      );
    }
    this.validated = upto;
  }

  private async readHeader(): Promise<void> {
    for (;;) {
      // skip blank lines before the header
      while (this.pos < this.len && (this.buf[this.pos] === LF || this.buf[this.pos] === CR)) {
        if (this.buf[this.pos] === LF) this.line++;
        else if (this.buf[this.pos + 1] !== LF) this.line++;
        this.pos++;
      }
      if (this.pos >= this.len) {
        if (this.eof) throw this.err('the file is empty (no header row)', 1);
        await this.fill();
        continue;
      }
      const names = this.parseHeaderRow();
      if (names) {
        this.setHeader(names);
        return;
      }
      if (this.eof) throw this.err('the header row is cut off', this.line);
      await this.fill();
    }
  }

  /** The header row's cells, or null when the buffer ends first. Advances pos past the row. */
  private parseHeaderRow(): string[] | null {
    const scan = scanHeaderRecord(this.buf, this.pos, this.len, this.eof, this.maxColumns);
    if (scan.kind === 'more') return null;
    if (scan.kind === 'error') throw this.err(scan.message, this.line + scan.lines, scan.column);
    this.pos = scan.next;
    this.line += scan.lines;
    return scan.raw;
  }

  private setHeader(raw: string[]): void {
    const { names, renamed } = columnNames(raw);
    this.renamed.push(...renamed);
    this.header = names;
    this.ncols = names.length;
    // per-column state stays empty until a column has data: a wide header costs no memory by itself
    this.cacheBytes = new Array<Uint8Array | undefined>(this.ncols);
    this.cacheLen = new Array<Int32Array | undefined>(this.ncols);
    this.cacheText = new Array<string[] | undefined>(this.ncols);
    this.cacheNext = new Uint8Array(this.ncols);
    // rows per batch bounded by cells, so a batch of a 20,000-column file is no bigger than one of a narrow file
    this.batchRows = Math.max(1, Math.min(this.batchRowsWanted, Math.floor(BATCH_CELLS / Math.max(1, this.ncols))));
  }

  private newBatch(): void {
    this.cap = Math.min(this.batchRows, this.maxRows - this.rowsDone);
    this.r = 0;
    // fresh arrays per batch: consumers may keep the batch they were given. The first batch starts empty and
    // grows with its rows (a short or header-only file allocates next to nothing); later ones start full size.
    this.texts = new Array<Array<string | undefined> | null>(this.ncols).fill(null);
    if (this.opts.reuseBatches && this.rowsDone > 0 && this.room === this.cap) return; // every cell of a row is rewritten
    this.room = 0;
    this.nums = new Array<Float64Array>(this.ncols);
    if (this.rowsDone > 0) this.grow(this.cap);
    else this.nums.fill(EMPTY);
  }

  /**
   * Room for the current batch's next rows: at least double, and once rows were read, as many as the rest of the
   * file (or range) holds at their average length, plus 5 % — so reading a whole file grows its columns once or
   * twice instead of a dozen times (every growth leaves a copy of the batch behind as garbage).
   */
  private nextRoom(at: number): number {
    const rows = Math.max(MIN_ROOM, this.room * 2);
    const parsed = this.rowsDone + this.r;
    const used = at - this.dataStart;
    if (parsed === 0 || used <= 0) return rows;
    const left = Math.max(0, Math.min(this.rangeEnd, this.totalBytes) - at);
    return Math.max(rows, this.r + Math.ceil(((left / used) * parsed) * 1.05) + MIN_ROOM);
  }

  /** Gives every column room for `rows` rows of the current batch, keeping the rows parsed so far. */
  private grow(rows: number): void {
    const room = Math.min(this.cap, rows);
    const r = this.r;
    for (let c = 0; c < this.ncols; c++) {
      const a = new Float64Array(room);
      if (r > 0) a.set(this.nums[c].subarray(0, r));
      this.nums[c] = a;
      // text cells too: a store past an array's end would make the parser's compiled code fall back (deoptimize)
      const t = this.texts[c];
      if (t) {
        const bigger = new Array<string | undefined>(room);
        for (let i = 0; i < r; i++) bigger[i] = t[i];
        this.texts[c] = bigger;
      }
    }
    this.room = room;
  }

  private async emit(onBatch: (b: RowBatch) => void | Promise<void>): Promise<void> {
    if (this.opts.signal?.aborted) throw new CancelledError(`reading ${this.file}`);
    const n = this.r;
    const batch: RowBatch = {
      header: this.header,
      startRow: this.rowsDone,
      rowCount: n,
      numbers: n === this.room ? this.nums : this.nums.map((a) => a.subarray(0, n)),
      texts: this.texts.map((t) => {
        if (t) t.length = n;
        return t;
      }),
      bytesRead: this.bufOffset + this.pos,
      totalBytes: this.totalBytes,
    };
    this.rowsDone += n;
    this.r = 0;
    await onBatch(batch);
  }

  /**
   * Where parseRows stops this time. Before the end of the file: just past the buffer's last line break, so every
   * unquoted field it starts ends at a comma or line break inside the buffer and the field loops test no bounds (a
   * row cut off there is parsed after the next read). At the end of the file: the end of the data, with an LF
   * written after it as the sentinel that ends the last field.
   */
  private parseLimit(): number {
    const len = this.len;
    if (this.eof) {
      if (this.buf.length === len) {
        const bigger = Buffer.allocUnsafe(len + 1);
        this.buf.copy(bigger, 0, 0, len);
        this.buf = bigger;
      }
      this.buf[len] = LF;
      return len;
    }
    const buf = this.buf;
    let k = len - 1;
    while (k >= this.pos && buf[k] !== LF && buf[k] !== CR) k--;
    return k + 1;
  }

  /**
   * Parses complete rows from pos into the current batch. Returns true when the batch is full,
   * false when the buffer ran out (refill, or end of file).
   */
  private parseRows(): boolean {
    const end = this.parseLimit();
    const buf = this.buf;
    const eof = this.eof;
    const ncols = this.ncols;
    let nums = this.nums;
    const texts = this.texts;
    const cap = this.cap;
    let i = this.pos;
    let r = this.r;
    let line = this.line;
    let skipLF = this.skipLF;
    let full = false;

    rows: while (true) {
      if (r >= cap) {
        full = true;
        break;
      }
      if (skipLF) {
        if (i >= end) break;
        if (buf[i] === LF) i++;
        skipLF = false;
      }
      if (this.bufOffset + i >= this.rangeEnd) {
        this.stopped = true;
        break;
      }
      if (i >= end) break;
      const first = buf[i];
      if (first === LF) {
        line++;
        i++;
        continue;
      }
      if (first === CR) {
        line++;
        i++;
        skipLF = true;
        continue;
      }
      if (r >= this.room) {
        this.r = r;
        this.grow(this.nextRoom(this.bufOffset + i));
        nums = this.nums;
      }
      const rowStart = i;
      const rowLine = line;
      let c = 0;
      for (;;) {
        // ---- one field starting at i ----
        let v = NaN;
        let text: string | undefined;
        const b0 = buf[i];
        // one digit: zeros, flags and small counts, a large share of the cells of wide numeric files. buf[i + 1] exists:
        // a digit is followed by its field's terminator within the parse limit, or by the sentinel after the data
        if (b0 >= 48 && b0 <= 57 && (buf[i + 1] === COMMA || buf[i + 1] === LF)) {
          v = b0 - 48;
          i++;
        } else if (b0 === QUOTE) {
          if (!readQuoted(buf, i, end, eof)) {
            if (eof) throw this.err(`unterminated quoted field: the quote opened on line ${line} is never closed`, line, c + 1);
            i = rowStart;
            line = rowLine;
            this.clearRow(r);
            break rows;
          }
          i = qNext;
          line += qLines;
          if (buf[i] !== COMMA && buf[i] !== LF && buf[i] !== CR) {
            throw this.err('unexpected character after a closing quote (quotes inside a field must be doubled)', line, c + 1);
          }
          const kind = classifyCell(qValue, cellScratch);
          if (kind === CELL_NUMBER) v = cellScratch[0];
          else if (kind !== CELL_MISSING) text = qValue;
        } else {
          const fs0 = i;
          let neg = false;
          // -0 (equal to 0): the mantissa is a double from the start, so the optimizing compiler never speculates on
          // small integers that a 10-digit mantissa overflows (a deoptimization, then slow parsing until it recompiles)
          let mant = -0;
          let exp = 0;
          let b = buf[i];
          if (b === MINUS) {
            neg = true;
            b = buf[++i];
          } else if (b === PLUS) {
            b = buf[++i];
          }
          // leading zeros add nothing to the mantissa; whether it stayed exact is decided from its size below
          const intStart = i;
          while (b >= 48 && b <= 57) {
            mant = mant * 10 + (b - 48);
            b = buf[++i];
          }
          let digits = i - intStart;
          if (b === DOT) {
            b = buf[++i];
            const fracStart = i;
            while (b >= 48 && b <= 57) {
              mant = mant * 10 + (b - 48);
              b = buf[++i];
            }
            exp = fracStart - i;
            digits += i - fracStart;
          }
          let ok = digits > 0;
          if (ok && (b === LOWER_E || b === UPPER_E)) {
            b = buf[++i];
            let eneg = false;
            if (b === MINUS || b === PLUS) {
              eneg = b === MINUS;
              b = buf[++i];
            }
            let e = 0;
            let ed = 0;
            while (b >= 48 && b <= 57) {
              if (e < 100000) e = e * 10 + (b - 48);
              ed++;
              b = buf[++i];
            }
            if (ed === 0) ok = false;
            exp += eneg ? -e : e;
          }
          if (ok && b !== COMMA && b !== LF && b !== CR) ok = false;
          if (!ok) {
            // bounded although a terminator always comes first: a broken invariant must not loop forever
            while (b !== COMMA && b !== LF && b !== CR && i < end) b = buf[++i];
          }
          if (ok) {
            if (mant === 0) v = neg ? -0 : 0;
            else if (mant < MAX_EXACT && exp >= -22 && exp <= 22) {
              // Clinger's fast path: an exact mantissa times or over an exact power of ten is one correctly rounded
              // operation, the same double as Number() gives (every partial mantissa was smaller, so exact too)
              v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
              if (neg) v = -v;
            } else v = Number(buf.toString('latin1', fs0, i));
          } else if (i > fs0) {
            const n = i - fs0;
            const cached = c < ncols && n <= TEXT_CACHE_BYTES ? findCached(buf, fs0, i, this.cacheBytes[c], this.cacheLen[c]) : -1;
            if (cached >= 0) {
              text = this.cacheText[c]![cached];
            } else {
              const s = buf.toString('utf8', fs0, i);
              const kind = classifyCell(s, cellScratch);
              if (kind === CELL_NUMBER) v = cellScratch[0];
              else if (kind !== CELL_MISSING) {
                text = s;
                if (c < ncols && n <= TEXT_CACHE_BYTES) this.remember(c, buf, fs0, i, s);
              }
            }
          }
        }
        // ---- store ----
        if (c >= ncols) {
          throw this.err(`row has ${c + 1} or more columns, expected ${ncols} (as in the header)`, rowLine, c + 1);
        }
        nums[c][r] = v;
        if (text !== undefined) {
          let t = texts[c];
          if (t === null) t = texts[c] = new Array<string | undefined>(this.room);
          t[r] = text;
        }
        // ---- delimiter ----
        const d = buf[i++];
        if (d === COMMA) {
          c++;
          continue;
        }
        if (i > end) {
          i = end; // the sentinel after the data: end of file ends the row
          break;
        }
        line++;
        if (d === CR) skipLF = true;
        break;
      }
      if (c + 1 !== ncols) {
        throw this.err(`row has ${c + 1} column${c === 0 ? '' : 's'}, expected ${ncols} (as in the header)`, rowLine);
      }
      r++;
    }
    this.pos = i;
    this.r = r;
    this.line = line;
    this.skipLF = skipLF;
    return full;
  }

  /** Caches the text cell buf[from, to) of column c, in place of the column's oldest cached text. */
  private remember(c: number, buf: Buffer, from: number, to: number, s: string): void {
    const bytes = (this.cacheBytes[c] ??= new Uint8Array(TEXT_CACHE_ENTRIES * TEXT_CACHE_BYTES));
    const lens = (this.cacheLen[c] ??= new Int32Array(TEXT_CACHE_ENTRIES).fill(-1));
    const texts = (this.cacheText[c] ??= new Array<string>(TEXT_CACHE_ENTRIES).fill(''));
    const k = this.cacheNext[c];
    this.cacheNext[c] = (k + 1) % TEXT_CACHE_ENTRIES;
    const at = k * TEXT_CACHE_BYTES;
    for (let j = from; j < to; j++) bytes[at + j - from] = buf[j];
    lens[k] = to - from;
    texts[k] = s;
  }

  /** Forgets text cells already written for a row that turned out incomplete (it is parsed again). */
  private clearRow(r: number): void {
    for (const t of this.texts) if (t) t[r] = undefined;
  }
}

/**
 * The entry of a column's text cache (bytes, lengths: CsvByteReader.remember) equal to buf[from, to), or -1. Compared
 * here byte by byte: these cells are a few bytes long, shorter than the call into Buffer#compare.
 */
function findCached(buf: Buffer, from: number, to: number, bytes: Uint8Array | undefined, lens: Int32Array | undefined): number {
  if (bytes === undefined || lens === undefined) return -1;
  const n = to - from;
  for (let k = 0; k < TEXT_CACHE_ENTRIES; k++) {
    if (lens[k] !== n) continue;
    const at = k * TEXT_CACHE_BYTES;
    let j = 0;
    while (j < n && bytes[at + j] === buf[from + j]) j++;
    if (j === n) return k;
  }
  return -1;
}

/** Offset of the first byte that breaks UTF-8 in [from, to) (to when none: the caller knows one exists). */
function firstInvalidUtf8(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    if (i + n >= to) return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cb = buf[i + k];
      if ((cb & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cb & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return Math.min(i, to - 1);
}

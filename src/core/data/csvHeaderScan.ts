/**
 * The CSV header record, parsed from UTF-8 bytes by the same rules for every reader: the streaming reader
 * (csvReader.ts), the agent's label lookup and the editor's header diagnostics all go through `scanHeaderRecord`
 * and `columnNames`, so a quoted cell with a comma or a newline means the same column everywhere.
 */

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Header records with more cells than this are refused (csv.maxColumns): per-column state must stay bounded. */
export const DEFAULT_MAX_COLUMNS = 20_000;

export interface HeaderRecord {
  kind: 'record';
  /** cell texts, unquoted, untrimmed */
  raw: string[];
  /** byte offsets [starts[k], ends[k]) of cell k in the buffer, quotes included */
  starts: number[];
  ends: number[];
  quoted: boolean[];
  /** offset just past the record (after its line end) */
  next: number;
  /** line ends consumed, inside quoted cells and the record's own */
  lines: number;
}
export interface HeaderSyntaxError {
  kind: 'error';
  message: string;
  /** line ends before the error, counted from the record's start */
  lines: number;
  /** 1-based cell */
  column: number;
}
/** `more`: the buffer ends before the record does (read more bytes, or it is cut off at end of file) */
export type HeaderScan = HeaderRecord | HeaderSyntaxError | { kind: 'more' };

export function tooManyColumns(maxColumns: number): string {
  return `the header has more than ${maxColumns} columns; if the file really is that wide, raise csv.maxColumns in driftcatcher.config.json`;
}

/**
 * Parses the header record starting at `pos` (RFC 4180: a quote opens a quoted cell only as its first byte;
 * quotes inside are doubled). Stops with an error as soon as the record has more than `maxColumns` cells, so a
 * huge one-line header never gets materialised.
 */
export function scanHeaderRecord(buf: Uint8Array, pos: number, end: number, eof: boolean, maxColumns = DEFAULT_MAX_COLUMNS): HeaderScan {
  const dec = new TextDecoder();
  const raw: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const quoted: boolean[] = [];
  let i = pos;
  let lines = 0;
  for (;;) {
    if (raw.length >= maxColumns) return { kind: 'error', message: tooManyColumns(maxColumns), lines, column: raw.length + 1 };
    const start = i;
    if (i < end && buf[i] === QUOTE) {
      let value = '';
      let j = i + 1;
      let seg = j;
      for (;;) {
        let q = j;
        while (q < end && buf[q] !== QUOTE) q++;
        if (q >= end) {
          if (eof) return { kind: 'error', message: 'unterminated quoted field in the header (the quote is never closed)', lines, column: raw.length + 1 };
          return { kind: 'more' };
        }
        if (q + 1 >= end && !eof) return { kind: 'more' }; // a closing quote or the first of a doubled one
        if (q + 1 < end && buf[q + 1] === QUOTE) {
          value += dec.decode(buf.subarray(seg, q + 1));
          j = q + 2;
          seg = j;
          continue;
        }
        value += dec.decode(buf.subarray(seg, q));
        for (let k = i; k < q; k++) if (buf[k] === LF) lines++;
        i = q + 1;
        break;
      }
      if (i < end && buf[i] !== COMMA && buf[i] !== LF && buf[i] !== CR) {
        return { kind: 'error', message: 'unexpected character after a closing quote in the header (quotes inside a field must be doubled)', lines, column: raw.length + 1 };
      }
      raw.push(value);
      quoted.push(true);
    } else {
      while (i < end && buf[i] !== COMMA && buf[i] !== LF && buf[i] !== CR) i++;
      if (i >= end && !eof) return { kind: 'more' };
      raw.push(dec.decode(buf.subarray(start, i)));
      quoted.push(false);
    }
    starts.push(start);
    ends.push(i);
    if (i >= end) {
      if (!eof) return { kind: 'more' };
      break;
    }
    const b = buf[i++];
    if (b === COMMA) continue;
    if (b === CR) {
      if (i >= end && !eof) return { kind: 'more' };
      if (i < end && buf[i] === LF) i++;
    }
    lines++;
    break;
  }
  return { kind: 'record', raw, starts, ends, quoted, next: i, lines };
}

/**
 * Column names from raw header cells: trimmed (CICIDS2017 pads them), an empty one becomes `column_<k>`, and
 * repeated names are renamed exactly as pandas' read_csv does (`x`, `x.1`, `x.2`, skipping names the header
 * already has): the real CICIDS2017 files repeat " Fwd Header Length", and pandas-compatible names keep our
 * feature names equal to the pandas pipeline's.
 */
export function columnNames(raw: string[]): { names: string[]; renamed: { column: number; from: string; to: string }[] } {
  const renamed: { column: number; from: string; to: string }[] = [];
  const trimmed = raw.map((n, k) => n.trim() || `column_${k + 1}`);
  const original = new Set(trimmed);
  const counts = new Map<string, number>();
  const names = trimmed.map((base, k) => {
    let name = base;
    let cur = counts.get(base) ?? 0;
    while (cur > 0) {
      counts.set(base, cur + 1);
      name = `${base}.${cur}`;
      cur = original.has(name) ? cur + 1 : (counts.get(name) ?? 0);
    }
    counts.set(name, cur + 1);
    if (name !== base) renamed.push({ column: k + 1, from: base, to: name });
    return name;
  });
  return { names, renamed };
}

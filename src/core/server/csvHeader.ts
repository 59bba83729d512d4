import { columnNames, scanHeaderRecord } from '../data/csvHeaderScan';

/**
 * The header cells of a CSV document with their places in its text, for diagnostics, hover and code actions.
 * The header record is parsed by the CSV reader's own header scanner (csvHeaderScan.ts) and the cells are named by
 * its `columnNames`, so a cell here carries exactly the column name the engine reports: quoted names with commas or
 * newlines, padding, a BOM, repeated and empty names all agree. Offsets are UTF-16 offsets into the document text
 * (`doc.positionAt` turns them into positions): [start, end) is the whole cell between separators, [nameStart,
 * nameEnd) the visible name (quotes included, padding excluded) — the range a diagnostic underlines.
 */
export interface HeaderCell {
  index: number;
  /** the column name as the engine reads it (trimmed; empty → column_k; repeats → x.1) */
  name: string;
  /** the cell's text as the file spells it, unquoted */
  raw: string;
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
}

/** the first slice of a document searched for its header record (grown until the record ends) */
const FIRST_SLICE = 64 * 1024;

/** The header record's cells, or [] when the document has none or it is malformed (the engine reports why). */
export function headerCells(text: string, maxColumns?: number): HeaderCell[] {
  // as the reader does: a BOM, then blank lines before the header
  let skip = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (skip < text.length && (text[skip] === '\n' || text[skip] === '\r')) skip++;
  for (let n = FIRST_SLICE; ; n *= 4) {
    let stop = Math.min(text.length, skip + n);
    if (stop < text.length && isHighSurrogate(text.charCodeAt(stop - 1))) stop++; // never split a character
    const eof = stop >= text.length;
    const bytes = Buffer.from(text.slice(skip, stop), 'utf8');
    const scan = scanHeaderRecord(bytes, 0, bytes.length, eof, maxColumns);
    if (scan.kind === 'more' && !eof) continue;
    if (scan.kind !== 'record') return [];
    const toChar = byteToCharOffsets(bytes, [...scan.starts, ...scan.ends].sort((a, b) => a - b));
    const { names } = columnNames(scan.raw);
    return scan.raw.map((raw, index) => {
      const start = skip + toChar.get(scan.starts[index])!;
      const end = skip + toChar.get(scan.ends[index])!;
      let nameStart = start;
      let nameEnd = end;
      if (!scan.quoted[index]) {
        const cell = text.slice(start, end);
        nameStart = start + (cell.length - cell.trimStart().length);
        nameEnd = Math.max(nameStart, end - (cell.length - cell.trimEnd().length));
      }
      return { index, name: names[index], raw, start, end, nameStart, nameEnd };
    });
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** UTF-16 offsets of ascending UTF-8 byte offsets (one pass over the bytes) */
function byteToCharOffsets(bytes: Uint8Array, sorted: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let b = 0;
  let c = 0;
  for (const target of sorted) {
    while (b < target) {
      const lead = bytes[b];
      const len = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
      b += len;
      c += len === 4 ? 2 : 1;
    }
    out.set(target, c);
  }
  return out;
}

/** the cell under a text offset (a cursor right after a cell's last character still counts) */
export function cellAt(cells: HeaderCell[], offset: number): HeaderCell | undefined {
  return cells.find((c) => offset >= c.start && offset <= c.end);
}

/** The header cell that carries a feature (report names are the reader's names; an untrimmed one still matches). */
export function cellForFeature(cells: HeaderCell[], feature: string): HeaderCell | undefined {
  return cells.find((c) => c.name === feature) ?? cells.find((c) => c.name === feature.trim());
}

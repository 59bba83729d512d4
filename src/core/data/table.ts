/**
 * In-memory columnar data. Numeric columns are Float64Arrays: NaN for empty/`NaN` cells,
 * ±Infinity for `Infinity`/`inf` cells (callers decide whether non-finite counts as missing — drift does).
 * Text columns are dictionary-encoded: codes index `categories`, -1 is missing.
 */
export interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: Float64Array;
  /** empty or NaN cells */
  missing: number;
  /** ±Infinity cells */
  nonFinite: number;
}

export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  codes: Int32Array;
  categories: string[];
  missing: number;
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  /** file the table was read from, when it came from one */
  source?: string;
  rowCount: number;
  columns: Column[];
}

export function columnByName(t: Table, name: string): Column | undefined {
  return t.columns.find((c) => c.name === name);
}

/**
 * A batch of rows as the streaming reader produces them (column-major).
 * `numbers[c][i]`: the cell parsed as a number (NaN when empty, `NaN`, or not a number; ±Infinity for infinity).
 * `texts[c]`: null when every cell of column c in this batch was numeric or missing; otherwise an array of
 * length rowCount holding the raw string of each non-numeric, non-missing cell (undefined elsewhere).
 */
export interface RowBatch {
  header: string[];
  /** 0-based index of the batch's first data row in the file */
  startRow: number;
  rowCount: number;
  numbers: Float64Array[];
  texts: (Array<string | undefined> | null)[];
  /** bytes of the file consumed so far (for progress) */
  bytesRead: number;
  totalBytes: number;
}

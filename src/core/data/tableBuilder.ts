import type { CategoricalColumn, Column, NumericColumn, RowBatch, Table } from './table';

/**
 * Collects streamed batches into columns. A column is numeric when every non-missing cell parsed as a number
 * (±Infinity included); otherwise it is dictionary-encoded, numeric cells taking their String(number) form.
 */
export class TableBuilder {
  private names: string[] = [];
  private values: Float64Array[] = [];
  private texts: (Array<string | undefined> | null)[] = [];
  private rows = 0;

  /** `rows`: how many rows will come, when known (columns are then allocated once, at their size) */
  constructor(private readonly rowsHint = 0) {}

  add(b: RowBatch): void {
    if (this.names.length === 0 && this.rows === 0) {
      this.names = b.header.slice();
      this.values = this.names.map(() => new Float64Array(Math.max(16, b.rowCount, this.rowsHint)));
      this.texts = this.names.map(() => null);
    }
    const need = this.rows + b.rowCount;
    if (need > (this.values[0]?.length ?? 0)) {
      const size = Math.max(need, Math.ceil((this.values[0]?.length ?? 0) * 1.5));
      this.values = this.values.map((v) => {
        const g = new Float64Array(size);
        g.set(v.subarray(0, this.rows));
        return g;
      });
    }
    for (let c = 0; c < this.names.length; c++) {
      this.values[c].set(b.numbers[c].subarray(0, b.rowCount), this.rows);
      const t = b.texts[c];
      if (t) {
        let dst = this.texts[c];
        if (!dst) dst = this.texts[c] = new Array<string | undefined>(this.rows);
        dst.length = this.rows;
        for (let i = 0; i < b.rowCount; i++) dst.push(t[i]);
      } else if (this.texts[c]) {
        this.texts[c]!.length = need;
      }
    }
    this.rows = need;
  }

  /** Sets the header when no batch arrived (header-only file). */
  setHeader(header: string[]): void {
    if (this.rows === 0) {
      this.names = header.slice();
      this.values = this.names.map(() => new Float64Array(0));
      this.texts = this.names.map(() => null);
    }
  }

  build(source?: string): Table {
    const n = this.rows;
    const columns: Column[] = this.names.map((name, c) => {
      const values = this.values[c].length === n ? this.values[c] : this.values[c].slice(0, n);
      const texts = this.texts[c];
      return texts ? toCategorical(name, values, texts, n) : toNumeric(name, values);
    });
    return { source, rowCount: n, columns };
  }
}

/** A numeric column with its counts of missing and ±Infinity cells (every reader of rows builds columns this way). */
export function toNumeric(name: string, values: Float64Array): NumericColumn {
  let missing = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) missing++;
    else if (v === Infinity || v === -Infinity) nonFinite++;
  }
  return { kind: 'numeric', name, values, missing, nonFinite };
}

function toCategorical(name: string, values: Float64Array, texts: Array<string | undefined>, n: number): CategoricalColumn {
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  const categories: string[] = [];
  let missing = 0;
  for (let i = 0; i < n; i++) {
    let s = texts[i];
    if (s === undefined) {
      const v = values[i];
      if (v !== v) {
        codes[i] = -1;
        missing++;
        continue;
      }
      s = String(v);
    }
    let code = index.get(s);
    if (code === undefined) {
      code = categories.length;
      categories.push(s);
      index.set(s, code);
    }
    codes[i] = code;
  }
  return { kind: 'categorical', name, codes, categories, missing };
}

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { readTable, streamCsv } from '../../../src/core/data/csvReader';
import type { CategoricalColumn, NumericColumn, RowBatch } from '../../../src/core/data/table';
import { columnByName } from '../../../src/core/data/table';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { rejection, tempDir, writeTemp } from './helpers';

const num = (c: unknown) => c as NumericColumn;
const cat = (c: unknown) => c as CategoricalColumn;
const decode = (c: CategoricalColumn) => Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));

describe('data/csvReader', () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses RFC 4180 quoting: commas, newlines and doubled quotes inside quotes', async () => {
    const f = writeTemp(dir, 'id,text\n1,"a,b"\n2,"line1\nline2"\n3,"say ""hi"""\n4,plain\n');
    const t = await readTable(f);
    assert.equal(t.rowCount, 4);
    assert.deepEqual(Array.from(num(t.columns[0]).values), [1, 2, 3, 4]);
    assert.deepEqual(decode(cat(t.columns[1])), ['a,b', 'line1\nline2', 'say "hi"', 'plain']);
  });

  it('text cells that alternate among more values than its cache holds keep their own strings', async () => {
    // same-length neighbours that differ in one byte, multibyte UTF-8, a 64-byte and a 65-byte text, a number and a
    // blank cell among texts, a quoted text equal to a plain one; more distinct values than cached entries (8)
    const values = ['ab', 'ba', 'aa', 'x', 'Web Attack \u2013 Brute Force', 'é', 'e', 'q'.repeat(64), 'q'.repeat(65), 'c1', 'c2', 'c3', '7', ' ', 'ab '];
    const rows: string[] = [];
    const want: (string | null)[] = [];
    for (let i = 0; i < 400; i++) {
      const v = values[(i * 7 + (i >> 3)) % values.length];
      const quoted = i % 11 === 0;
      rows.push(`${i},${quoted ? `"${v}"` : v}`);
      want.push(v.trim() === '' ? null : v);
    }
    const t = await readTable(writeTemp(dir, `n,label\n${rows.join('\n')}\n`));
    assert.deepEqual(decode(cat(t.columns[1])), want);
  });

  it('strips a UTF-8 BOM, accepts CRLF and trims header names', async () => {
    const f = writeTemp(dir, '\ufeff Flow Duration ,  Label\r\n10,BENIGN\r\n20,DDoS\r\n');
    const t = await readTable(f);
    assert.deepEqual(t.columns.map((c) => c.name), ['Flow Duration', 'Label']);
    assert.deepEqual(Array.from(num(t.columns[0]).values), [10, 20]);
    assert.deepEqual(decode(cat(t.columns[1])), ['BENIGN', 'DDoS']);
  });

  it('reads Infinity/inf as ±Infinity and NaN/empty as missing, counted per column', async () => {
    const f = writeTemp(dir, 'a,b\nInfinity,1\n-Infinity,NaN\ninf,\n-inf,nan\n2.5,3\n');
    const t = await readTable(f);
    const a = num(columnByName(t, 'a'));
    const b = num(columnByName(t, 'b'));
    assert.equal(a.kind, 'numeric');
    assert.deepEqual(Array.from(a.values), [Infinity, -Infinity, Infinity, -Infinity, 2.5]);
    assert.equal(a.nonFinite, 4);
    assert.equal(a.missing, 0);
    assert.equal(b.kind, 'numeric');
    assert.equal(b.missing, 3);
    assert.equal(b.nonFinite, 0);
  });

  it('parses decimals and exponents exactly like Number()', async () => {
    const cells = ['0', '-0.5', '1e3', '1.5E-7', '123456789012345678', '0.1', '3.14159265358979', '-2.5e+10', '.5', '7.', '+4', '9007199254740993', '1e-320', '1e400'];
    const f = writeTemp(dir, 'x\n' + cells.join('\n') + '\n');
    const t = await readTable(f);
    assert.deepEqual(Array.from(num(t.columns[0]).values), cells.map(Number));
  });

  it('types a column numeric only when every non-missing cell is a number; mixed columns keep String(number)', async () => {
    const f = writeTemp(dir, 'n,m,q\n1,1,"2"\n,x,"3.5"\n3,2.50,\n');
    const t = await readTable(f);
    assert.equal(t.columns[0].kind, 'numeric');
    assert.equal(t.columns[2].kind, 'numeric', 'quoted numbers are numbers');
    assert.deepEqual(Array.from(num(t.columns[2]).values).slice(0, 2), [2, 3.5]);
    const m = cat(t.columns[1]);
    assert.equal(m.kind, 'categorical');
    assert.deepEqual(decode(m), ['1', 'x', '2.5']);
  });

  it('handles a file without a trailing newline, blank lines and a lone CR line ending', async () => {
    const t = await readTable(writeTemp(dir, 'a,b\n1,2\n\n3,4\r5,6'));
    assert.deepEqual(Array.from(num(t.columns[1]).values), [2, 4, 6]);
  });

  it('gives the same result whatever the chunk and batch sizes (rows split across reads)', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 300; i++) lines.push(`${i},"q${i},\n${i}",${i % 7 === 0 ? 'Infinity' : (i / 3).toFixed(4)}`);
    const f = writeTemp(dir, lines.join('\r\n'));
    const ref = await readTable(f);
    for (const [chunkBytes, batchRows] of [[64, 7], [97, 1], [1000, 64], [5, 300]]) {
      const seen: RowBatch[] = [];
      const res = await streamCsv(f, { chunkBytes, batchRows }, (b) => void seen.push(b));
      assert.equal(res.rows, 300);
      assert.equal(seen.reduce((s, b) => s + b.rowCount, 0), 300);
      const c = seen.flatMap((b) => Array.from(b.numbers[2]));
      assert.deepEqual(c, Array.from(num(ref.columns[2]).values));
      const texts = seen.flatMap((b) => b.texts[1]!.slice(0, b.rowCount));
      assert.deepEqual(texts, decode(cat(ref.columns[1])));
      if (seen.length > 1) assert.equal(seen[1].startRow, seen[0].rowCount);
    }
  });

  it('stops at maxRows and reports progress up to the file size', async () => {
    const f = writeTemp(dir, 'a\n' + Array.from({ length: 100 }, (_, i) => i).join('\n') + '\n');
    const t = await readTable(f, { maxRows: 10 });
    assert.equal(t.rowCount, 10);
    const progress: number[] = [];
    await streamCsv(f, { chunkBytes: 64, onProgress: (done, total) => progress.push(done / total) }, () => undefined);
    assert.equal(progress[progress.length - 1], 1);
    assert.ok(progress.length > 2);
  });

  it('honours an abort signal with a CancelledError', async () => {
    const f = writeTemp(dir, 'a\n' + '1\n'.repeat(5000));
    const ac = new AbortController();
    const e = await rejection(streamCsv(f, { chunkBytes: 256, batchRows: 10, signal: ac.signal }, () => ac.abort()));
    assert.equal(e.code, 'CANCELLED');
  });

  describe('bad input', () => {
    it('empty file: a clear error', async () => {
      const e = await rejection(readTable(writeTemp(dir, '')));
      assert.ok(e instanceof DriftCatcherError);
      assert.match(e.message, /empty/);
      const e2 = await rejection(readTable(writeTemp(dir, '\ufeff\n\n')));
      assert.match(e2.message, /empty/);
    });

    it('header only: zero rows, columns kept', async () => {
      const t = await readTable(writeTemp(dir, 'a, b\n'));
      assert.equal(t.rowCount, 0);
      assert.deepEqual(t.columns.map((c) => c.name), ['a', 'b']);
    });

    it('duplicate header names are renamed as pandas does (CICIDS2017 repeats " Fwd Header Length")', async () => {
      const f = writeTemp(dir, 'x,y,y,y.1,y\n1,2,3,4,5\n');
      const t = await readTable(f);
      assert.deepEqual(t.columns.map((c) => c.name), ['x', 'y', 'y.2', 'y.1', 'y.3'], "pandas' read_csv gives the same names");
      assert.deepEqual(t.columns.map((c) => (c.kind === 'numeric' ? c.values[0] : NaN)), [1, 2, 3, 4, 5], 'values stay with their column');
      const res = await streamCsv(f, {}, () => {});
      assert.deepEqual(res.renamed, [
        { column: 3, from: 'y', to: 'y.2' },
        { column: 5, from: 'y', to: 'y.3' },
      ]);
    });

    it('ragged rows: the line number and expected vs got', async () => {
      const few = await rejection(readTable(writeTemp(dir, 'a,b,c\n1,2,3\n"x\ny",2,3\n4,5\n')));
      assert.match(few.message, /row has 2 columns, expected 3/);
      assert.equal(few.where?.line, 5, 'physical line, counting the newline inside quotes');
      assert.match(few.message, /:5\)$/);
      const many = await rejection(readTable(writeTemp(dir, 'a,b\n1,2\n1,2,3\n')));
      assert.match(many.message, /row has 3 or more columns, expected 2/);
      assert.equal(many.where?.line, 3);
    });

    it('unterminated quote: the line where the quote opened', async () => {
      const e = await rejection(readTable(writeTemp(dir, 'a,b\n1,2\n3,"open\n4,5\n6,7\n')));
      assert.match(e.message, /unterminated quoted field: the quote opened on line 3/);
      assert.equal(e.where?.line, 3);
      assert.equal(e.where?.column, 2);
    });

    it('non-UTF-8 bytes: line and byte offset', async () => {
      const bytes = Buffer.concat([Buffer.from('a,b\n1,2\n3,Web Attack '), Buffer.from([0x96]), Buffer.from(' Brute Force\n')]);
      const e = await rejection(readTable(writeTemp(dir, bytes)));
      assert.match(e.message, /invalid UTF-8 byte 0x96 at byte offset 21/);
      assert.equal(e.where?.line, 3);
      // the real replacement character (valid UTF-8) is kept as text
      const ok = await readTable(writeTemp(dir, 'a,b\n1,Web Attack \ufffd Brute Force\n'));
      assert.deepEqual(cat(ok.columns[1]).categories, ['Web Attack \ufffd Brute Force']);
    });

    it('all-missing column: numeric with every cell missing', async () => {
      const t = await readTable(writeTemp(dir, 'a,b\n1,\n2,NaN\n3,\n'));
      const b = num(t.columns[1]);
      assert.equal(b.kind, 'numeric');
      assert.equal(b.missing, 3);
    });

    it('constant column: read as is', async () => {
      const t = await readTable(writeTemp(dir, 'a,b\n1,0\n2,0\n3,0\n'));
      assert.deepEqual(Array.from(num(t.columns[1]).values), [0, 0, 0]);
    });

    it('1,500 columns', async () => {
      const header = Array.from({ length: 1500 }, (_, i) => ` f${i}`).join(',');
      const rows = Array.from({ length: 20 }, (_, r) => Array.from({ length: 1500 }, (_, c) => r * c).join(','));
      const t = await readTable(writeTemp(dir, [header, ...rows].join('\n')));
      assert.equal(t.columns.length, 1500);
      assert.equal(t.columns[1499].name, 'f1499');
      assert.equal(num(t.columns[1499]).values[19], 19 * 1499);
    });

    it('<script> in a header is kept as plain text', async () => {
      const t = await readTable(writeTemp(dir, '"<script>alert(1)</script>",b\n1,2\n'));
      assert.equal(t.columns[0].name, '<script>alert(1)</script>');
    });

    it('a missing file or a folder: NOT_FOUND / BAD_INPUT with the path', async () => {
      const e = await rejection(readTable(dir + '/nope.csv'));
      assert.equal(e.code, 'NOT_FOUND');
      assert.match(e.message, /nope\.csv/);
      const d = await rejection(readTable(dir));
      assert.match(d.message, /folder/);
    });
  });
});

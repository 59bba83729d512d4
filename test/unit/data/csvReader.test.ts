import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTable, streamCsv } from '../../../src/core/data/csvReader';
import type { CategoricalColumn, NumericColumn, RowBatch } from '../../../src/core/data/table';
import { columnByName } from '../../../src/core/data/table';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { Random } from '../../../src/core/util/random';
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

  it('reads mantissas near 2^53, long, zero-padded and signed-zero numbers to the same double as Number()', async () => {
    // mantissas just above 2^53 with the point inside: accumulated in doubles they round to exactly 2^53, which only
    // a strict "below 2^53" test sends to Number() (a fast path there is off by one unit in the last place)
    const cells = ['90.07199254740993', '900719.9254740993', '9007199254.740993', '90071992547409.93', '9007199254740991', '900719925474099.1'];
    cells.push('9007199254740992', '9007199254740993', '0.9007199254740991', '-0', '-0.000', '+0e5', '-0e-400', '0000000000000000000001.5');
    cells.push('1.000000000000000000000000001', '0.000000000000000000000012345', '123e-22', '123e-23', '4.5e22', '4.5e23', '1e22', '1e23');
    cells.push('-1.7976931348623157e308', '2.2250738585072014e-308', '5e-324', '18446744073709551616', '-00.5', '1e0000000000000000005');
    const rng = new Random(15);
    for (let k = 0; k < 3000; k++) {
      const digits = Array.from({ length: 1 + Math.floor(rng.next() * 19) }, () => Math.floor(rng.next() * 10)).join('');
      const at = Math.floor(rng.next() * (digits.length + 1));
      const sign = ['', '-', '+'][Math.floor(rng.next() * 3)];
      const exp = rng.next() < 0.3 ? `e${Math.floor(rng.next() * 60) - 30}` : '';
      cells.push(`${sign}${digits.slice(0, at)}${at < digits.length || rng.next() < 0.5 ? '.' : ''}${digits.slice(at)}${exp}`);
    }
    const t = await readTable(writeTemp(dir, 'x\n' + cells.join('\n') + '\n'));
    assert.deepEqual(Array.from(num(t.columns[0]).values), cells.map(Number));
  });

  it('ends every field where the buffer or the file ends, whatever the read size (numbers, texts, quotes, CR, no final newline)', async () => {
    // every chunk size from 64 bytes on puts the end of a read at another byte of these rows, so some number, text,
    // empty or quoted field ends exactly at the last byte read and some file end falls right after a digit
    const body = ['a,b,c', '12345,-0.25,xy', '7,,"q,\n""r"""', '1e5,3.5E-2,zz', '\r', '88,99,', '-0,"12",t\r', '4,5,6', '0,1,2\r', '-31,2.5,9'];
    for (const tail of ['', '\n', '\r\n', '\r']) {
      const text = body.join('\n') + tail;
      const f = writeTemp(dir, text);
      const want = { a: [12345, 7, 1e5, 88, -0, 4, 0, -31], b: [-0.25, NaN, 0.035, 99, 12, 5, 1, 2.5], c: ['xy', 'q,\n"r"', 'zz', null, 't', '6', '2', '9'] };
      for (let chunkBytes = 64; chunkBytes <= text.length + 1; chunkBytes++) {
        const rows: { a: number[]; b: number[]; c: (string | null)[] } = { a: [], b: [], c: [] };
        const res = await streamCsv(f, { chunkBytes, batchRows: 3 }, (bt) => {
          for (let r = 0; r < bt.rowCount; r++) {
            rows.a.push(bt.numbers[0][r]);
            rows.b.push(bt.numbers[1][r]);
            const tx = bt.texts[2]?.[r];
            rows.c.push(tx ?? (Number.isNaN(bt.numbers[2][r]) ? null : String(bt.numbers[2][r])));
          }
        });
        assert.equal(res.rows, 8, `chunk ${chunkBytes}`);
        assert.equal(res.end, text.length, `chunk ${chunkBytes}`);
        assert.deepEqual(rows, want, `chunk ${chunkBytes}, file ending ${JSON.stringify(tail)}`);
      }
    }
  });

  it('parses a file with CR line endings as it reads it, not after holding it whole', async () => {
    const f = writeTemp(dir, 'a,b\r' + Array.from({ length: 2000 }, (_, i) => `${i},${i / 4}`).join('\r') + '\r');
    let read = 0;
    let readAtFirstBatch = -1;
    let rows = 0;
    await streamCsv(f, { chunkBytes: 64, batchRows: 10, onProgress: (done) => (read = done) }, (bt) => {
      if (readAtFirstBatch < 0) readAtFirstBatch = read;
      for (let r = 0; r < bt.rowCount; r++, rows++) assert.equal(bt.numbers[1][r], rows / 4);
    });
    assert.equal(rows, 2000);
    assert.ok(readAtFirstBatch <= 256, `${readAtFirstBatch} bytes read before the first batch`);
  });

  it('ends a range at the row it finishes, numbers at the range and file end included', async () => {
    const text = 'a,b\n1,2.5\n30,-4\n500,6e1\n7000,8';
    const f = writeTemp(dir, text);
    const start = text.indexOf('1,');
    const row3 = text.indexOf('500');
    const read = async (end: number, chunkBytes: number) => {
      const got: number[] = [];
      const res = await streamCsv(f, { chunkBytes, range: { start, end, header: ['a', 'b'] } }, (bt) => {
        for (let r = 0; r < bt.rowCount; r++) got.push(bt.numbers[0][r], bt.numbers[1][r]);
      });
      return { got, end: res.end };
    };
    for (const chunkBytes of [64, 65, 70, 1 << 20]) {
      assert.deepEqual(await read(row3, chunkBytes), { got: [1, 2.5, 30, -4], end: row3 }, 'a range ending at a row start');
      assert.deepEqual(await read(row3 - 2, chunkBytes), { got: [1, 2.5, 30, -4], end: row3 }, 'the row crossing the end is finished');
      assert.deepEqual(await read(text.length, chunkBytes), { got: [1, 2.5, 30, -4, 500, 60, 7000, 8], end: text.length }, 'to the end of the file');
      assert.deepEqual(await read(text.length - 1, chunkBytes), { got: [1, 2.5, 30, -4, 500, 60, 7000, 8], end: text.length }, 'the last row, cut by no newline');
    }
  });

  it('reads real files cell for cell as splitting their lines does, with small and large reads (vega-datasets)', async () => {
    const decimal = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
    for (const name of ['birdstrikes.csv', 'zipcodes.csv', 'seattle-weather.csv', 'disasters.csv']) {
      const file = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data', name);
      const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1).filter((l) => l !== '');
      const cells = lines.map((l) => l.split(','));
      for (const chunkBytes of [100, 4099, 1 << 20]) {
        let row = 0;
        let bad = '';
        await streamCsv(file, { chunkBytes, batchRows: 1000 }, (bt) => {
          for (let r = 0; r < bt.rowCount; r++, row++) {
            cells[row].forEach((s, c) => {
              const v = bt.numbers[c][r];
              const tx = bt.texts[c]?.[r];
              const ok = decimal.test(s) ? Object.is(v, Number(s)) && tx === undefined : s.trim() === '' ? Number.isNaN(v) && tx === undefined : tx === s;
              if (!ok && !bad) bad = `${name} row ${row + 1} column ${c + 1}: ${JSON.stringify(s)} read as ${tx ?? v} (chunk ${chunkBytes})`;
            });
          }
        });
        assert.equal(bad, '');
        assert.equal(row, lines.length, name);
      }
    }
  });

  it('reports a broken row on the same line whatever the read size', async () => {
    const text = 'a,b,c\n1,2,3\n"x\ny",2,3\n' + '4,5,6\n'.repeat(30) + '7,8\n9,1,2\n';
    const f = writeTemp(dir, text);
    for (let chunkBytes = 64; chunkBytes < 240; chunkBytes += 7) {
      const e = await rejection(streamCsv(f, { chunkBytes }, () => undefined));
      assert.match(e.message, /row has 2 columns, expected 3/);
      assert.equal(e.where?.line, 35, `chunk ${chunkBytes}`);
    }
    for (let chunkBytes = 64; chunkBytes < 120; chunkBytes += 5) {
      const e = await rejection(streamCsv(writeTemp(dir, 'a,b\n' + '1,2\n'.repeat(20) + '3,"open\n4,5\r\n6,7'), { chunkBytes }, () => undefined));
      assert.match(e.message, /unterminated quoted field: the quote opened on line 22/);
      const after = await rejection(streamCsv(writeTemp(dir, 'a,b\n' + '1,2\n'.repeat(20) + '3,"x"y\n'), { chunkBytes }, () => undefined));
      assert.match(after.message, /unexpected character after a closing quote/);
      assert.equal(after.where?.line, 22);
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

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildContext, findLabelColumn } from '../../../src/core/agent/context';
import { readCsvHeader, readTable } from '../../../src/core/data/csvReader';
import { headerCells } from '../../../src/core/server/csvHeader';
import { diagnosticsFor } from '../../../src/core/server/csvInsight';
import { FakeTools, makeCtx, report, tempWorkspace } from '../agent/fakes';

/**
 * One CSV reader: the agent's label lookup, the editor's header cells and the engine's tables read a header the
 * same way, whatever it holds (quoted newlines and commas, padding, a BOM, CRLF, repeats, any width).
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-one-reader-'));

/** headers people really write, as file text up to and including the first data row */
const HEADERS: string[] = [
  'a,b,Label\n1,2,x\n',
  '"Flow\nDuration",Label\n1,x\n',
  '"Flow\r\nDuration","Init, Win ""bytes""",Label\r\n1,2,x\r\n',
  '\ufeff Flow Duration , Label \n1,x\n',
  '\n\n a,b\n1,2\n',
  'x,x,x.1,,y\n1,2,3,4,5\n',
  'Größe,日本語,emoji 🚀 col,Label\n1,2,3,x\n',
  ' "quoted after a space",b\n1,2\n',
  '"",b,""\n1,2,3\n',
  'a,b,c',
];

describe('one CSV reader for every header', function () {
  this.timeout(60_000);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  HEADERS.forEach((text, k) => {
    it(`the editor's header cells carry the reader's column names (${JSON.stringify(text.slice(0, 24))})`, async () => {
      const f = path.join(dir, `h${k}.csv`);
      fs.writeFileSync(f, text);
      const fromReader = await readCsvHeader(f);
      assert.deepEqual(fromReader, (await readTable(f)).columns.map((c) => c.name), 'readCsvHeader names the columns as readTable does');
      const cells = headerCells(text);
      assert.deepEqual(cells.map((c) => c.name), fromReader);
      for (const c of cells) {
        const visible = text.slice(c.nameStart, c.nameEnd);
        assert.ok(visible.trim().length > 0 || c.raw.trim() === '', `cell ${c.index} underlines ${JSON.stringify(visible)}`);
      }
    });
  });

  it('a diagnostic on a cell after a quoted newline lands on the right line and character', () => {
    const text = '"Flow\nDuration",Max Packet,Label\n1,2,x\n';
    const doc = TextDocument.create('file:///x.csv', 'csv', 1, text);
    const r = report({ total: 1, drifted: 1, psi: 0.5, names: ['Max Packet'] });
    const [d] = diagnosticsFor(r, headerCells(text), doc);
    assert.deepEqual(d.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 20 } });
  });

  it('the agent sees the label behind a quoted newline in the header', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const current = path.join(ws, 'current.csv');
    fs.writeFileSync(current, '"Flow\nDuration",Max Packet,Label\n1,2,BENIGN\n3,4,DDoS\n');
    const c = await buildContext(makeCtx(ws), new FakeTools(), { current, report: report({ total: 2, drifted: 1 }) });
    assert.deepEqual(c.labels, { available: true, column: 'Label' });
  });

  it('the agent sees a label beyond the first 256 KB of a wide header', async () => {
    const f = path.join(dir, 'wide-label.csv');
    const names = Array.from({ length: 19_000 }, (_, i) => `feature_number_${i}`);
    fs.writeFileSync(f, `${names.join(',')},Label\n${names.map(() => '1').join(',')},BENIGN\n`);
    assert.ok(fs.statSync(f).size > 300_000);
    assert.equal(await findLabelColumn(f, undefined), 'Label');
  });
});

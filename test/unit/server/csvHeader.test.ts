import * as assert from 'node:assert/strict';
import { cellAt, cellForFeature, headerCells } from '../../../src/core/server/csvHeader';

describe('server/csvHeader', () => {
  it('finds padded cells, names them as the reader does and underlines the name without its padding', () => {
    const line = 'Destination Port, Flow Duration , Label';
    const cells = headerCells(line);
    assert.deepEqual(cells.map((c) => c.name), ['Destination Port', 'Flow Duration', 'Label']);
    assert.deepEqual(cells.map((c) => c.raw), ['Destination Port', ' Flow Duration ', ' Label']);
    const fd = cells[1];
    assert.equal(line.slice(fd.nameStart, fd.nameEnd), 'Flow Duration');
    assert.equal(line.slice(fd.start, fd.end), ' Flow Duration ');
  });

  it('keeps quoted cells with delimiters and doubled quotes as one cell, quotes underlined', () => {
    const line = 'a,"Init, Win ""bytes""",b';
    const cells = headerCells(line);
    assert.equal(cells.length, 3);
    assert.equal(cells[1].name, 'Init, Win "bytes"');
    assert.equal(line.slice(cells[1].nameStart, cells[1].nameEnd), '"Init, Win ""bytes"""');
    assert.equal(cells[2].name, 'b');
    assert.equal(line.slice(cells[2].nameStart, cells[2].nameEnd), 'b');
  });

  it('ignores a BOM and a CRLF line end; empty cells are cells', () => {
    const line = '\uFEFFx,,y\r\n1,2,3';
    const cells = headerCells(line);
    assert.deepEqual(cells.map((c) => c.name), ['x', 'column_2', 'y']);
    assert.equal(cells[0].start, 1);
    assert.equal(cells[2].end, 5);
  });

  it('maps a cursor to its cell and a feature to its cell (exact name first, then trimmed)', () => {
    const line = ' Flow Duration,Flow Duration2';
    const cells = headerCells(line);
    assert.equal(cellAt(cells, 3)?.index, 0);
    assert.equal(cellAt(cells, 14)?.index, 0); // right after the last character
    assert.equal(cellAt(cells, 16)?.index, 1);
    assert.equal(cellAt(cells, 99), undefined);
    assert.equal(cellForFeature(cells, 'Flow Duration')?.index, 0);
    assert.equal(cellForFeature(cells, 'Flow Duration2')?.index, 1);
    assert.equal(cellForFeature(cells, 'Nope'), undefined);
  });
});

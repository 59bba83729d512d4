import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { captureCli, type CliResult } from '../cli/capture';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { buildProfile } from '../../../src/core/drift/profile';
import { readTable } from '../../../src/core/data/csvReader';
import { runAgent } from '../../../src/core/agent/runAgent';
import { FakeTools, makeCtx, report, tempWorkspace } from '../agent/fakes';

/**
 * The bad-input corpus: files a person may really hand to DriftCatcher by mistake. Each must end in exit 2 with one
 * `error: …` line that names the problem (and never suggests a fix that cannot work), and nothing acts on them.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bad-'));
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bad-ws-'));

function cli(args: string[]): Promise<CliResult> {
  return captureCli([...args, '--workspace', ws]);
}

function write(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}

function rows(n: number, label: (i: number) => string): string {
  let s = 'a,b,c,Label\n';
  for (let i = 0; i < n; i++) s += `${(i % 17) * 0.5},${(i * 7) % 11},${i % 3 ? 'x' : 'y'},${label(i)}\n`;
  return s;
}

/** a minimal ZIP (local header + central directory) holding one file: what an .xlsx starts like */
function zipWith(name: string, content: string): Buffer {
  const data = deflateRawSync(Buffer.from(content));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  return Buffer.concat([local, Buffer.from(name), data]);
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

describe('bad inputs: one clear error, exit 2, nothing acted on', function () {
  this.timeout(60_000);
  const base = write('base.csv', rows(600, (i) => (i % 4 ? 'BENIGN' : 'DDoS')));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  });

  const corpus: Array<{ name: string; file: () => string; error: RegExp; role?: 'current' | 'baseline' }> = [
    { name: 'a current file with a header and no data rows', file: () => write('header-only.csv', 'a,b,c,Label\n'), error: /header-only\.csv.*no data rows|no data rows.*header-only\.csv/ },
    { name: 'a current file with a header, blank lines and no data rows', file: () => write('blank-rows.csv', 'a,b,c,Label\n\n\r\n\n'), error: /no data rows/ },
    { name: 'a current file whose every label cell is empty', file: () => write('no-labels.csv', rows(200, () => '')), error: /all 200 data rows have an empty 'Label'/ },
    { name: 'a current file with none of the baseline columns', file: () => write('other.csv', 'p,q\n1,2\n3,4\n'), error: /shares no column with the baseline.*baseline: a, b, c.*current: p, q/ },
    { name: 'a baseline with a header and no data rows', file: () => write('empty-base.csv', 'a,b,c,Label\n'), error: /empty-base\.csv.*no data rows|no data rows.*empty-base\.csv/, role: 'baseline' },
    { name: 'a PNG image', file: () => write('image.csv', PNG), error: /PNG image, not a CSV/ },
    { name: 'an Excel workbook (.xlsx)', file: () => write('book.csv', zipWith('[Content_Types].xml', '<Types/>')), error: /ZIP archive \(an Excel \.xlsx/ },
    { name: 'an old Excel workbook (.xls)', file: () => write('old.csv', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)])), error: /\.xls/ },
    { name: 'a gzip-compressed CSV', file: () => write('data.csv.gz', gzipSync(rows(10, () => 'BENIGN'))), error: /gzip-compressed.*gunzip/ },
    { name: 'a Parquet file', file: () => write('data.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(40), Buffer.from('PAR1')])), error: /Parquet/ },
    { name: 'a PDF', file: () => write('report.csv', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1')), error: /PDF document/ },
    { name: 'a UTF-16 CSV', file: () => write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b,c,Label\n1,2,x,BENIGN\n', 'utf16le')])), error: /UTF-16.*iconv -f UTF-16 -t UTF-8/ },
    { name: 'a binary file with NUL bytes', file: () => write('blob.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x00, 0x01, 0x02, 0x31, 0x2c, 0x00, 0x0a])), error: /NUL bytes.*binary/ },
  ];

  for (const c of corpus) {
    it(`${c.name}: exit 2, one line naming it`, async () => {
      const f = c.file();
      const r = c.role === 'baseline' ? await cli(['drift', f, base]) : await cli(['drift', base, f, '--fail-on', 'severe', '--format', 'json']);
      assert.equal(r.code, 2, `exit ${r.code}; stdout: ${r.out.slice(0, 300)}; stderr: ${r.err}`);
      assert.equal(r.out, '', 'no report is printed');
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, /^error: /);
      assert.match(r.err, c.error);
      if (!/UTF-16/.test(c.name)) assert.doesNotMatch(r.err, /iconv/, 'no re-encoding advice for a file that is not text');
    });
  }

  it('profile refuses a header-only baseline too', async () => {
    const r = await cli(['profile', write('empty-profile.csv', 'a,Label\n'), '-o', path.join(dir, 'p.json')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /no data rows/);
  });

  it('computeDrift refuses an empty batch however it is called (no severity for zero rows)', async () => {
    const profile = buildProfile(await readTable(base), { label: 'Label' });
    await assert.rejects(computeDrift(profile, write('empty2.csv', 'a,b,c,Label\n')), /no data rows/);
  });

  it('the agent never decides or plans on an empty batch', async () => {
    const aws = tempWorkspace();
    FakeTools.seed(aws);
    const tools = new FakeTools();
    const empty = report({ total: 10, drifted: 10, psi: 7.8 });
    empty.current.rows = 0;
    tools.driftReport = empty;
    const ctx = makeCtx(aws);
    await assert.rejects(runAgent(ctx, { current: write('empty3.csv', 'a,b,c,Label\n') }, tools), /no data rows/);
    assert.equal(fs.existsSync(path.join(aws, '.driftcatcher', 'plans')), false, 'no plan was made');
    assert.equal(fs.existsSync(path.join(aws, '.driftcatcher', 'decisions')), false, 'no decision was logged');
  });
});

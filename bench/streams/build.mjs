// Builds the labelled, time-ordered batch streams that `npm run evaluate` replays, from public real data in the
// npm package vega-datasets (and the demo stream, from the CLI). Deterministic: the same package version gives
// byte-identical files. Usage: node bench/streams/build.mjs OUT_DIR   (see bench/streams/README.md)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = path.resolve(process.argv[2] ?? 'bench/.work/streams');

/** A data file of the installed vega-datasets package (its exports map hides data/, so go from its entry point). */
function dataFile(name) {
  let entry;
  try {
    entry = require.resolve('vega-datasets');
  } catch {
    throw new Error('vega-datasets is not installed (run: npm ci)');
  }
  const file = path.join(path.dirname(entry), '..', 'data', name);
  if (!fs.existsSync(file)) throw new Error(`vega-datasets has no data/${name} (expected ${file})`);
  return file;
}

function writeBatch(dir, name, header, rows) {
  fs.mkdirSync(dir, { recursive: true });
  const cell = (v) => (typeof v === 'string' && /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  fs.writeFileSync(path.join(dir, name), [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
}

/** seattle-weather.csv: daily weather 2012–2015, label = weather type; batch 0 = 2012, then one batch per season. */
function seattle() {
  const lines = fs.readFileSync(dataFile('seattle-weather.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const at = (k) => header.indexOf(k);
  const rows = lines.slice(1).map((l) => l.split(','));
  const season = (d) => {
    const [y, m] = d.split('-').map(Number);
    const s = m === 12 ? 0 : Math.floor(m / 3); // 0 winter (Dec–Feb), 1 spring, 2 summer, 3 autumn
    return { year: m === 12 ? y + 1 : y, s };
  };
  const dir = path.join(out, 'seattle-weather');
  fs.rmSync(dir, { recursive: true, force: true });
  const names = ['winter', 'spring', 'summer', 'autumn'];
  const groups = new Map();
  for (const r of rows) {
    const d = r[at('date')];
    const { year, s } = season(d);
    const key = Number(d.slice(0, 4)) === 2012 ? 'batch_00_2012' : `batch_${String((year - 2013) * 4 + s + 1).padStart(2, '0')}_${year}_${names[s]}`;
    if (!groups.has(key)) groups.set(key, []);
    const m = Number(d.slice(5, 7));
    groups.get(key).push([m, Number(d.slice(8, 10)), r[at('precipitation')], r[at('temp_max')], r[at('temp_min')], r[at('wind')], r[at('weather')]]);
  }
  for (const [key, g] of [...groups].sort()) {
    if (key.includes('2016')) continue; // the last December starts a winter that the data does not cover
    writeBatch(dir, `${key}.csv`, ['month', 'day', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'], g);
  }
  return dir;
}

/**
 * flights-3m.parquet: US flights Jan–Jun 2001, label = delayed more than 15 minutes; one batch per month. DuckDB applies
 * USING SAMPLE to the file before the WHERE, so each month keeps its share of one seeded 20,000-row sample (≈ 3,300).
 */
async function flights() {
  let duck;
  try {
    duck = await import('@duckdb/node-api');
  } catch {
    throw new Error('@duckdb/node-api is not installed (run: npm ci)');
  }
  const db = await duck.DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('SET threads = 1'); // a repeatable sample needs one thread
  const file = dataFile('flights-3m.parquet').replace(/'/g, "''");
  const dir = path.join(out, 'flights');
  fs.rmSync(dir, { recursive: true, force: true });
  for (let month = 1; month <= 6; month++) {
    const r = await c.runAndReadAll(`
      SELECT hour(date) + minute(date) / 60.0 AS dep_hour, isodow(date) AS day_of_week, day(date) AS day_of_month,
             distance, origin, destination, CASE WHEN delay > 15 THEN 'delayed' ELSE 'on_time' END AS status
      FROM (SELECT * FROM '${file}' WHERE month(date) = ${month} AND delay IS NOT NULL
            USING SAMPLE reservoir(20000 ROWS) REPEATABLE (42))
      ORDER BY date, origin, destination, distance, delay`);
    const rows = r.getRows().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    writeBatch(dir, `batch_${month - 1}_2001-${String(month).padStart(2, '0')}.csv`, ['dep_hour', 'day_of_week', 'day_of_month', 'distance', 'origin', 'destination', 'status'], rows);
  }
  return dir;
}

/** Splits one CSV line into cells (quoted cells may hold commas and doubled quotes). */
function csvCells(line) {
  const cells = [];
  for (let i = 0; i <= line.length; ) {
    if (line[i] === '"') {
      let v = '';
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') v += line[i++];
        else if (line[i] === '"') break;
        else v += line[i];
      }
      cells.push(v);
      i += 2; // the closing quote and the comma
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

/**
 * birdstrikes.csv: 10,000 reported wildlife strikes on US aircraft 1990–2002, label = the strike damaged the aircraft
 * (any damage class) or not; batch 0 = 1990–1991, then one per year. The cost columns are left out: they are only
 * known after the damage (a cost > 0 is the label); the 15 rows with a damage code outside None / Minor / Medium /
 * Substantial too.
 */
function birdstrikes() {
  const lines = fs.readFileSync(dataFile('birdstrikes.csv'), 'utf8').trim().split(/\r?\n/);
  const header = csvCells(lines[0]);
  const at = (k) => {
    const i = header.indexOf(k);
    if (i < 0) throw new Error(`birdstrikes.csv has no column '${k}'`);
    return i;
  };
  const damage = { None: 'none', Minor: 'damage', Medium: 'damage', Substantial: 'damage' };
  const dir = path.join(out, 'birdstrikes');
  fs.rmSync(dir, { recursive: true, force: true });
  const groups = new Map();
  for (const line of lines.slice(1)) {
    const r = csvCells(line);
    const label = damage[r[at('Effect Amount of damage')]];
    if (!label) continue;
    const date = r[at('Flight Date')];
    const year = Number(date.slice(0, 4));
    const key = year <= 1991 ? 'batch_00_1990-1991' : `batch_${String(year - 1991).padStart(2, '0')}_${year}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push([
      Number(date.slice(5, 7)),
      new Date(`${date}T00:00:00Z`).getUTCDay() || 7,
      r[at('Speed IAS in knots')],
      r[at('Phase of flight')],
      r[at('Wildlife Size')],
      r[at('Time of day')],
      r[at('Origin State')],
      r[at('Aircraft Airline Operator')],
      label,
    ]);
  }
  const header2 = ['month', 'day_of_week', 'speed_knots', 'phase', 'wildlife_size', 'time_of_day', 'origin_state', 'operator', 'damage'];
  for (const [key, g] of [...groups].sort()) writeBatch(dir, `${key}.csv`, header2, g.sort((x, y) => (x.join('\u0000') < y.join('\u0000') ? -1 : 1)));
  return dir;
}

const which = process.argv.slice(3);
const built = [];
if (!which.length || which.includes('seattle-weather')) built.push(seattle());
if (!which.length || which.includes('flights')) built.push(await flights());
if (!which.length || which.includes('birdstrikes')) built.push(birdstrikes());
for (const d of built) process.stderr.write(`built ${path.relative(process.cwd(), d)}: ${fs.readdirSync(d).length} batches\n`);

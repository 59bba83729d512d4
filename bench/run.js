#!/usr/bin/env node
// Runs the compiled benchmarks (out/bench/**/*.bench.js) one after the other — they would disturb each other's
// timings side by side. `npm run bench` builds, compiles, then runs this; arguments after `--` come here:
//   npm run bench                       every benchmark, full size → bench/results/<name>.json and .md
//   npm run bench -- drift forest       the benchmarks whose name contains "drift" or "forest"
//   npm run bench -- --quick            tiny inputs, to check the scripts work → bench/.work/quick-results/
//   npm run bench -- --runs 5           repetitions of every measurement (default 3, at least 3 for a full run)
//   npm run bench -- --list             the benchmarks' names
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'out', 'bench');
if (!fs.existsSync(outDir)) {
  console.error('error: out/bench does not exist: run `npm run compile` first (npm run bench does)');
  process.exit(2);
}

const args = process.argv.slice(2);
const passOn = [];
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--quick' || args[i] === '--list') passOn.push(args[i]);
  else if (args[i] === '--runs') passOn.push(args[i], args[++i]);
  else if (args[i].startsWith('-')) {
    console.error(`error: unknown option ${args[i]} (options: --quick, --runs N, --list)`);
    process.exit(2);
  } else filters.push(args[i]);
}

function findBenches(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'lib' ? [] : findBenches(p);
    return e.name.endsWith('.bench.js') ? [p] : [];
  });
}
const all = findBenches(outDir)
  .map((file) => ({ file, name: path.relative(outDir, file).replace(/\.bench\.js$/, '').split(path.sep).join('/') }))
  .sort((a, b) => a.name.localeCompare(b.name));
if (passOn.includes('--list')) {
  for (const b of all) console.log(b.name);
  process.exit(0);
}
const chosen = all.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
if (chosen.length === 0) {
  console.error(`error: no benchmark matches ${filters.join(', ')} (there are: ${all.map((b) => b.name).join(', ')})`);
  process.exit(2);
}

const quick = passOn.includes('--quick');
const resultsDir = path.join(root, 'bench', quick ? path.join('.work', 'quick-results') : 'results');
const failed = [];
for (const b of chosen) {
  console.log(`\n=== bench ${b.name}${quick ? ' (quick)' : ''} ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', b.file, ...passOn], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed.push(b.name);
    console.error(`bench ${b.name} failed (exit ${r.status ?? r.signal})`);
    continue;
  }
  const md = path.join(resultsDir, `${path.basename(b.name)}.md`);
  if (fs.existsSync(md)) console.log(fs.readFileSync(md, 'utf8'));
}
if (failed.length) console.error(`\nfailed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);

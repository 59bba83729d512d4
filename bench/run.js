#!/usr/bin/env node
// Benchmark orchestrator: runs every compiled out/bench/*.bench.js one after the other (they share 2 cores),
// each writing bench/results/<name>.json and <name>.md. `npm run bench` builds, compiles and then runs this.
// Pass names to run a subset: node bench/run.js drift
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'out', 'bench');
if (!fs.existsSync(outDir)) {
  console.error('error: out/bench does not exist; run `npx tsc -p .` first (npm run bench does)');
  process.exit(2);
}
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(outDir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.js$/, '')))
  .sort();
if (benches.length === 0) {
  console.error(`error: no benchmarks found in ${outDir}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(2);
}
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
let failed = 0;
for (const b of benches) {
  const name = b.replace(/\.bench\.js$/, '');
  console.log(`\n=== bench ${name} ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', path.join(outDir, b)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${name} failed (exit ${r.status ?? r.signal})`);
  } else {
    const md = path.join(root, 'bench', 'results', `${name}.md`);
    if (fs.existsSync(md)) console.log(fs.readFileSync(md, 'utf8'));
  }
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Packages the extension as a platform-specific .vsix: the engine embeds DuckDB, whose native library ships in
// one npm package per platform (@duckdb/node-bindings-<platform>), so each .vsix carries the one for its target.
//   node scripts/package.js                     the machine's own platform (e.g. linux-x64)
//   node scripts/package.js --target darwin-arm64   another one: its binding must be in node_modules
//                                               (npm install --no-save --force @duckdb/node-bindings-darwin-arm64)
// Targets are VS Code's (linux-x64, linux-arm64, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64,
// win32-arm64). Output: driftcatcher-<target>.vsix.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const i = process.argv.indexOf('--target');
const target = i > 0 ? process.argv[i + 1] : `${process.platform === 'linux' && isMusl() ? 'alpine' : process.platform}-${process.arch}`;
const binding = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
}[target];
if (!binding) {
  console.error(`error: unknown target '${target}' (linux-x64, linux-arm64, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64)`);
  process.exit(2);
}
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['esbuild.js', '--production']);
run(process.execPath, ['test/e2e/manifest/extensionReadme.js', 'dist/README.md']);
// DuckDB's runtime packages beside the bundles (dist/node_modules), where require() finds them
const natives = path.join(root, 'dist', 'node_modules', '@duckdb');
fs.rmSync(natives, { recursive: true, force: true });
for (const pkg of ['node-api', 'node-bindings', `node-bindings-${binding}`]) {
  const from = path.join(root, 'node_modules', '@duckdb', pkg);
  if (!fs.existsSync(from)) {
    console.error(`error: ${from} is missing: npm install --no-save --force @duckdb/${pkg}@${require('../node_modules/@duckdb/node-api/package.json').version}`);
    process.exit(2);
  }
  fs.cpSync(from, path.join(natives, pkg), { recursive: true, dereference: true });
}
run(path.join(root, 'node_modules', '.bin', 'vsce'), [
  'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--skip-license',
  '--readme-path', 'dist/README.md',
  '--baseContentUrl', 'https://example.invalid/driftcatcher/blob/main',
  '--baseImagesUrl', 'https://example.invalid/driftcatcher/raw/main',
  '-o', `driftcatcher-${target}.vsix`,
]);

function isMusl() {
  try {
    return !process.report.getReport().header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

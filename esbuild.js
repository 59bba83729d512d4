// Bundles every entry point. Node entries (CLI, server, workers, extension) as CommonJS for Node 20;
// the webview as a browser IIFE. `--watch` rebuilds on change; `--production` minifies.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const exists = (p) => fs.existsSync(path.join(__dirname, p));

/** entry name -> source; entries whose source does not exist yet are skipped */
const nodeEntries = {
  cli: 'src/core/cli/main.ts',
  server: 'src/core/server/main.ts',
  forestWorker: 'src/core/model/forestWorker.ts',
  csvWorker: 'src/core/data/csvWorker.ts',
  jobWorker: 'src/core/server/jobWorker.ts',
  extension: 'src/extension/extension.ts',
  languageClient: 'src/extension/languageClient.ts',
};
const webEntries = { webview: 'src/webview/main.ts' };

const pick = (m) => Object.fromEntries(Object.entries(m).filter(([, src]) => exists(src)));

async function main() {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', outdir: 'dist' };
  const builds = [
    {
      ...common,
      entryPoints: pick(nodeEntries),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // DuckDB's native library is loaded from node_modules (packaged per platform beside dist/); pg's optional native binding is never used
      external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', 'pg-native'],
      banner: { js: '' },
    },
  ];
  if (Object.keys(pick(webEntries)).length) {
    builds.push({ ...common, entryPoints: pick(webEntries), platform: 'browser', format: 'iife', target: 'es2022' });
  }
  if (watch) {
    for (const b of builds) (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (exists('dist/cli.js')) fs.chmodSync(path.join(__dirname, 'dist/cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

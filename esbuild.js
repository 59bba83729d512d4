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
  // a small launcher that loads the CLI bundle (cliMain below) through a V8 code cache
  cli: 'src/core/cli/launcher.ts',
  server: 'src/core/server/main.ts',
  forestWorker: 'src/core/model/forestWorker.ts',
  csvWorker: 'src/core/data/csvWorker.ts',
  jobWorker: 'src/core/server/jobWorker.ts',
  extension: 'src/extension/extension.ts',
  languageClient: 'src/extension/languageClient.ts',
};
/**
 * The CLI bundle, loaded by dist/cli.js through a V8 code cache (src/core/util/codeCache.ts): written as the function
 * Node wraps a CommonJS module in, so that the loader compiles the file as it is instead of a wrapped copy of it.
 */
const cliBundle = { cliMain: 'src/core/cli/main.ts' };
const CJS_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '})'];
const webEntries = { webview: 'src/webview/main.ts' };

const pick = (m) => Object.fromEntries(Object.entries(m).filter(([, src]) => exists(src)));

async function main() {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', outdir: 'dist' };
  const node = {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // DuckDB's native library is loaded from node_modules (packaged per platform beside dist/); pg's optional native binding is never used
    external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', 'pg-native'],
    banner: { js: '' },
  };
  const builds = [
    { ...node, entryPoints: pick(nodeEntries) },
    { ...node, entryPoints: pick(cliBundle), banner: { js: CJS_WRAPPER[0] }, footer: { js: CJS_WRAPPER[1] }, metafile: true },
  ];
  if (Object.keys(pick(webEntries)).length) {
    builds.push({ ...common, entryPoints: pick(webEntries), platform: 'browser', format: 'iife', target: 'es2022' });
  }
  if (watch) {
    for (const b of builds) (await esbuild.context(b)).watch();
    return;
  }
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const r of results) refuseDynamicImports(r.metafile);
  await asciiOnly(path.join(__dirname, 'dist', 'cliMain.js'));
  if (exists('dist/cli.js')) fs.chmodSync(path.join(__dirname, 'dist/cli.js'), 0o755);
}

/**
 * Code loaded from a V8 code cache cannot run import() on Node 20 ("A dynamic import callback was not specified"):
 * a package kept outside the CLI bundle is loaded with require() (all of ours are CommonJS).
 */
function refuseDynamicImports(metafile) {
  for (const [file, out] of Object.entries(metafile?.outputs ?? {})) {
    const bad = out.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path);
    if (bad.length) throw new Error(`${file}: import() of ${bad.join(', ')} — use require() (the CLI bundle runs from a V8 code cache)`);
  }
}

/**
 * The CLI bundle in ASCII: the launcher reads an ASCII bundle as Latin-1, ~10× faster than decoding UTF-8
 * (src/core/util/codeCache.ts). esbuild escapes non-ASCII characters in strings and names but not in the comments
 * it keeps (JSDoc of object members, license notices): those are written as \u{…} escapes — only when the bundle
 * minified with and without them is the same code, i.e. every one of them is in a comment. Otherwise (a regular
 * expression, a tagged template) the bundle stays as it is, read as UTF-8, and the build says which character.
 */
async function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  const nonAscii = /[^\x00-\x7f]/u;
  if (!nonAscii.test(text)) return;
  const escaped = text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  const code = async (js) => (await esbuild.transform(js, { minifyWhitespace: true, legalComments: 'none', charset: 'utf8' })).code;
  const [plain, withEscapes] = await Promise.all([code(text), code(escaped)]);
  if (plain === withEscapes) {
    fs.writeFileSync(file, escaped);
    return;
  }
  const at = Math.max(0, plain.search(nonAscii));
  console.warn(`warning: ${path.relative(__dirname, file)} has a non-ASCII character outside comments (${JSON.stringify(plain.slice(Math.max(0, at - 40), at + 20))}); the CLI reads it as UTF-8, slower`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

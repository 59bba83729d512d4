import { strict as assert } from 'node:assert';
import { isAscii } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What a CLI command initialises at start-up: only the modules it uses. The command line loads no engine module, and
 * `drift` none of the server, the agent's LLM client, git or the MCP SDK (each is required by the command or
 * operation that needs it). Runs each command in a fresh Node process and lists the modules it loaded.
 */

const MAIN = path.resolve(__dirname, '../../../src/core/cli/main.js');
const WEATHER = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data/seattle-weather.csv');
/** packages that are heavy to initialise and that no drift check needs */
const HEAVY = ['simple-git', 'vscode-languageserver', 'vscode-jsonrpc', 'openai', '@modelcontextprotocol/sdk', 'ajv'];

/** The packages (node_modules/NAME) and engine modules (src/core/…, without .js) a fresh process loaded for `args`. */
function loadedBy(args: string[], cwd: string, code = 0): { packages: Set<string>; engine: Set<string>; out: string } {
  const script = [
    `const { runCli } = require(${JSON.stringify(MAIN)});`,
    'let out = "";',
    `runCli(${JSON.stringify(args)}, { stdout: (s) => { out += s; }, stderr: (s) => { out += s; } }).then((code) => {`,
    '  process.stdout.write(JSON.stringify({ code, out, loaded: Object.keys(require.cache) }));',
    '});',
  ].join('\n');
  const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' })) as { code: number; out: string; loaded: string[] };
  assert.equal(r.code, code, r.out);
  const packages = new Set<string>();
  const engine = new Set<string>();
  for (const file of r.loaded.map((f) => f.split(path.sep).join('/'))) {
    const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (pkg) packages.add(pkg[1]);
    const own = /\/(src\/core\/.*)\.js$/.exec(file);
    if (own && !pkg) engine.add(own[1]);
  }
  return { packages, engine, out: r.out };
}

describe('CLI: what a command loads at start-up', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-startup-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // what every command goes through before its own module (`--version` is the same plus package.json, which only
  // the bundle holds)
  it('the command line itself loads no engine module and no package', () => {
    const r = loadedBy(['no-such-command'], dir, 2);
    assert.match(r.out, /^error: unknown command 'no-such-command'/);
    assert.deepEqual([...r.packages], []);
    assert.ok(!r.engine.has('src/core/operations'), [...r.engine].join(', '));
    assert.ok(!r.engine.has('src/core/config'), [...r.engine].join(', '));
  });

  it('drift loads the operation registry and the drift pipeline, not the server, the LLM client, git or the MCP SDK', () => {
    const r = loadedBy(['drift', WEATHER, WEATHER, '--format', 'json'], dir);
    assert.equal(JSON.parse(r.out).overall.n_drifted, 0);
    // the listing sees engine modules and packages that are loaded
    assert.ok(r.engine.has('src/core/operations') && r.engine.has('src/core/pipeline/drift'), [...r.engine].join(', '));
    assert.ok(r.packages.has('zod'), [...r.packages].join(', '));
    assert.deepEqual(HEAVY.filter((p) => r.packages.has(p)), []);
    assert.deepEqual([...r.engine].filter((m) => /^src\/core\/(agent\/(runAgent|executor|llm)|server\/server|mcp\/)/.test(m)), []);
  });

  it('the bundled CLI is ASCII (read as Latin-1 at start) and answers --version and drift', () => {
    const root = path.resolve(__dirname, '../../../..');
    const bundle = path.join(root, 'dist', 'cliMain.js');
    assert.ok(fs.existsSync(bundle), `${bundle} missing: run npm run build`);
    assert.ok(isAscii(fs.readFileSync(bundle)), 'esbuild.js writes the CLI bundle in ASCII');
    const run = (args: string[]): string => execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(run(['--version']), `${version}\n`);
    const report = JSON.parse(run(['drift', WEATHER, WEATHER, '--format', 'json'])) as { overall: { n_drifted: number }; features: { name: string }[] };
    assert.equal(report.overall.n_drifted, 0);
    assert.deepEqual(report.features.map((f) => f.name).sort(), ['date', 'precipitation', 'temp_max', 'temp_min', 'weather', 'wind'].sort());
  });

  it('watch, the headless daemon, does not load the language server', () => {
    const r = loadedBy(['watch', '--help'], dir);
    assert.match(r.out, /^usage: \S+ watch/);
    assert.ok(!r.packages.has('vscode-languageserver'), [...r.packages].join(', '));
  });

  it('a command that needs a heavy package still loads it (serve --help loads the language server)', () => {
    const r = loadedBy(['serve', '--help'], dir);
    assert.match(r.out, /^usage: \S+ serve/);
    assert.ok(r.packages.has('vscode-languageserver'), [...r.packages].join(', '));
  });
});

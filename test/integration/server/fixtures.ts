import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { uniform } from '../../../src/core/util/random';
import { REPO_ROOT, RpcResponseError, type LspClient } from './lspClient';

/** CICIDS2017-style header: padded names, a quoted one, the label last */
export const FEATURES = [' Flow Duration', ' Total Fwd Packets', 'Flow Bytes/s', ' Fwd Packet Length Mean', '"Init, Win bytes"', ' Destination Port'];
export const FEATURE_NAMES = FEATURES.map((f) => f.replace(/^"|"$/g, ''));

const rng = uniform;

/**
 * Small synthetic flows: DDoS rows have short durations and many packets, so a forest separates them easily.
 * `shift` moves Flow Duration and Flow Bytes/s (the drift the tests look for); a few cells are `Infinity`/`NaN`.
 */
/**
 * CICIDS-like flows. `shift` moves durations and byte rates (covariate drift); `swapLabels` also changes what the
 * labels mean (concept drift: the shifted traffic's attacks look like the old benign flows and back), so the
 * production model's realised accuracy on the batch collapses — the evidence the policy needs before it retrains.
 * The swap is learnable (shifted rows lie outside the base range), so a retrained model keeps its holdout accuracy.
 */
export function writeFlows(file: string, rows: number, opts: { seed?: number; shift?: number; swapLabels?: boolean } = {}): string {
  const r = rng(opts.seed ?? 1);
  const shift = opts.shift ?? 0;
  const lines = [[...FEATURES, ' Label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const ddos = r() < 0.4;
    const duration = (ddos ? 1000 + r() * 2000 : 50_000 + r() * 100_000) * (1 + shift * 3);
    const packets = Math.round(ddos ? 200 + r() * 100 : 5 + r() * 20);
    const bytes = i % 97 === 0 ? (i % 2 ? 'Infinity' : 'NaN') : ((ddos ? 9e5 : 1e4) * (1 + r()) * (1 + shift * 4)).toFixed(2);
    const fwdMean = (ddos ? 20 + r() * 10 : 300 + r() * 200).toFixed(3);
    const win = Math.round(r() * 65535);
    const port = ddos ? 80 : [443, 22, 53, 8080][Math.floor(r() * 4)];
    lines.push([duration.toFixed(0), packets, bytes, fwdMean, win, port, ddos !== !!opts.swapLabels ? 'DDoS' : 'BENIGN'].join(','));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** small forests; an LLM endpoint that refuses at once, so the agent falls back to its rule policy */
export const TEST_CONFIG = {
  dataset: 'CICIDS2017',
  training: { trees: 8 },
  llm: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'test', timeoutMs: 500 },
  agent: { autonomy: 'suggest' },
  // the test models are near perfect on this data: a candidate that ties production passes, so deploy flows run
  validation: { metrics: { balanced_accuracy: { min_absolute_change: 0 } } },
};

export function tempWorkspace(prefix = 'dc-server-'): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify(TEST_CONFIG, null, 2));
  return ws;
}

/** version directories in the registry (v1, v2, …), without staging directories */
export function versionsOnDisk(ws: string): string[] {
  const dir = path.join(ws, '.driftcatcher', 'models');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^v\d+$/.test(n)).sort() : [];
}

/** Bundles dist/server.js from the current sources (the suites drive the bundle, as an editor would). */
export function bundleServer(): void {
  execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Mocha hooks of a suite with one client per test: bundle the server once, shut the client down after each test. */
export function serverPerTest(client: () => LspClient | undefined): void {
  before(function () {
    this.timeout(180_000);
    bundleServer();
  });
  afterEach(async () => {
    await client()?.shutdown();
  });
}

/** The JSON-RPC error a request was answered with; fails when it succeeded. */
export async function rpcError(p: Promise<unknown>): Promise<RpcResponseError['error']> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcResponseError) return e.error;
    throw e;
  }
  assert.fail('expected a JSON-RPC error response');
}

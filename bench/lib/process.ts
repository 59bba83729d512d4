/**
 * One measured process: wall time from here, CPU seconds and peak RSS as the process reports them about itself
 * (Node: the reportUsage preload; the Python oracles: their `_process` field). Every side of a comparison runs
 * in its own process, so its memory is its own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { oracleCommand, parseOracleOutput, type ProcessUsage } from '../../test/oracles/oracle';

export interface ProcessSample {
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
}

export interface Measured<T> {
  sample: ProcessSample;
  /** the process's stdout parsed as JSON */
  output: T;
}

const REPORT_USAGE = path.join(__dirname, 'reportUsage.js');

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv }): Promise<{ stdout: string; wall_s: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wall_s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) {
        const msg = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-5).join('\n');
        reject(new Error(`${path.basename(cmd)} ${args.map((a) => path.basename(a)).join(' ')} failed (${code ?? signal}): ${msg}`));
      } else resolve({ stdout: Buffer.concat(out).toString('utf8'), wall_s });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `node SCRIPT ARGS…` and measures it; stdout must be one JSON value. */
export async function measureNode<T>(script: string, args: string[]): Promise<Measured<T>> {
  const usageFile = path.join(os.tmpdir(), `driftcatcher-bench-usage-${process.pid}-${Date.now()}.json`);
  try {
    const r = await run(process.execPath, ['--require', REPORT_USAGE, script, ...args], { env: { ...process.env, BENCH_USAGE_FILE: usageFile } });
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as ProcessUsage;
    return { sample: { wall_s: r.wall_s, cpu_s: usage.cpu_s, peak_rss_mb: usage.peak_rss_mb }, output: JSON.parse(r.stdout) as T };
  } finally {
    fs.rmSync(usageFile, { force: true });
  }
}

/** Runs `python3 test/oracles/SCRIPT.py COMMAND` with the request on stdin and measures it. */
export async function measureOracle<T>(script: string, command: string, request: object): Promise<Measured<T>> {
  const { cmd, args } = oracleCommand(script, command);
  const r = await run(cmd, args, { input: JSON.stringify(request) });
  const output = parseOracleOutput<T>(script, command, r.stdout);
  return { sample: { wall_s: r.wall_s, cpu_s: output._process.cpu_s, peak_rss_mb: output._process.peak_rss_mb }, output };
}

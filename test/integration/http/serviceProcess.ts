import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../server/lspClient';

/** `node dist/cli.js ARGS` as a long-running service: its stderr log, its URL once listening, its exit */
export class ServiceUnderTest {
  readonly proc: ChildProcessWithoutNullStreams;
  log = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `cwd`: where the command runs (the paths in `args` are relative to it) */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
    this.proc = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { env: { ...process.env, ...env }, stdio: 'pipe', cwd });
    this.proc.stderr.on('data', (d: Buffer) => (this.log += d.toString()));
    this.proc.stdout.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((r) => this.proc.on('exit', (code, signal) => r({ code, signal })));
  }

  /** wait until the log matches `re` (or the process ends) */
  async waitFor(re: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
    const t0 = Date.now();
    for (;;) {
      const m = this.log.match(re);
      if (m) return m;
      if (this.proc.exitCode !== null || Date.now() - t0 > ms) throw new Error(`log never matched ${re}:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async url(): Promise<string> {
    return (await this.waitFor(/HTTP API on (http:\/\/127\.0\.0\.1:\d+)/))[1];
  }

  /** SIGTERM and wait for the exit */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

export async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 60_000, what = 'condition'): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';

export function tempWorkspace(git = true): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-ver-'));
  if (git) {
    sh(ws, 'git', 'init', '-q', '-b', 'main');
    sh(ws, 'git', 'config', 'user.name', 'Test');
    sh(ws, 'git', 'config', 'user.email', 'test@example.invalid');
    sh(ws, 'git', 'config', 'commit.gpgsign', 'false');
  }
  return ws;
}

export function sh(cwd: string, cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
}

export function ctxFor(workspace: string, logs: string[] = []): EngineContext {
  return { workspace, config: loadConfig(workspace, {}, {}), log: (m) => void logs.push(m) };
}

/** a small CICIDS-like CSV (padded headers, Infinity/NaN strings) */
export function writeCsv(file: string, rows: number, seed = 1): Buffer {
  const lines = [' Destination Port, Flow Duration, Flow Bytes/s, Label'];
  for (let i = 0; i < rows; i++) lines.push(`${(i * 7 + seed) % 65535},${i * 13 + seed},${i % 5 === 0 ? 'Infinity' : i % 7 === 0 ? 'NaN' : (i * 1.5).toFixed(2)},${i % 3 ? 'BENIGN' : 'DDoS'}`);
  const buf = Buffer.from(lines.join('\n') + '\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
  return buf;
}

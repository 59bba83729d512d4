/**
 * Runs the Python oracles of this folder (numpy, pandas, scipy, scikit-learn, PyYAML) from tests and benchmarks.
 * Each `NAME.py` is a small CLI: `python3 NAME.py COMMAND` with a JSON request on stdin and one JSON object on
 * stdout (see oracle_cli.py and README.md here). A missing interpreter or module is an error naming the
 * install command — never a skipped test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

/** test/oracles in the source tree (this module also runs compiled from out/test/oracles). */
export const ORACLES_DIR = findOraclesDir();

const EXIT_MISSING_MODULE = 3;
const INSTALL_ALL = 'sudo bash .ci/run --install-only installs every package the tests use';

/** CPU seconds and peak RSS the oracle's interpreter reports about itself. */
export interface ProcessUsage {
  cpu_s: number;
  peak_rss_mb: number;
}

export class OracleError extends Error {}

function findOraclesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [dir, path.join(dir, 'test', 'oracles')]) {
      if (fs.existsSync(path.join(candidate, 'oracle_cli.py'))) return candidate;
    }
    if (path.dirname(dir) === dir) throw new OracleError(`test/oracles/oracle_cli.py not found above ${__dirname}`);
  }
}

/**
 * Python interpreters to try, in order: $DRIFTCATCHER_PYTHON alone when set, else every `python3` on PATH (a
 * version manager's python3 may shadow the system one that has the Debian packages).
 */
function interpreters(env: NodeJS.ProcessEnv): string[] {
  const forced = env.DRIFTCATCHER_PYTHON;
  if (forced) return [forced];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const exe = path.join(dir, 'python3');
    let real: string;
    try {
      fs.accessSync(exe, fs.constants.X_OK);
      real = fs.realpathSync(exe);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(exe);
  }
  return found;
}

const chosen = new Map<string, string>();

function scriptPath(script: string): string {
  const file = path.join(ORACLES_DIR, `${script}.py`);
  if (!fs.existsSync(file)) throw new OracleError(`no oracle ${script}.py in ${ORACLES_DIR}`);
  return file;
}

/** The interpreter that has every module `script` needs (checked once per script and process). */
export function oraclePython(script: string): string {
  let exe = chosen.get(script);
  if (!exe) chosen.set(script, (exe = findPython(script)));
  return exe;
}

/** The first interpreter (see interpreters) on which `script --check` passes; else an error naming the install command. */
export function findPython(script: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = scriptPath(script);
  const candidates = interpreters(env);
  if (candidates.length === 0) {
    throw new OracleError(`python3 not found on PATH (test/oracles/${script}.py needs it): apt-get install -y python3 — or ${INSTALL_ALL}`);
  }
  let lastError = '';
  for (const exe of candidates) {
    const r = spawnSync(exe, [file, '--check'], { encoding: 'utf8', env });
    if (r.status === 0) return exe;
    lastError = r.status === EXIT_MISSING_MODULE ? r.stderr.trim() : `${exe} ${file} --check failed (${r.status ?? r.signal ?? r.error?.message}): ${r.stderr.trim()}`;
  }
  throw new OracleError(`${lastError} — or ${INSTALL_ALL}`);
}

/** Command line of an oracle call, for callers that spawn and time it themselves (benchmarks). */
export function oracleCommand(script: string, command: string): { cmd: string; args: string[] } {
  return { cmd: oraclePython(script), args: [scriptPath(script), command] };
}

/** Parses an oracle's stdout: the result object, with its `_process` usage. */
export function parseOracleOutput<T>(script: string, command: string, stdout: string): T & { _process: ProcessUsage } {
  try {
    return JSON.parse(stdout) as T & { _process: ProcessUsage };
  } catch {
    throw new OracleError(`oracle ${script}.py ${command} printed no JSON: ${stdout.slice(0, 200)}`);
  }
}

/** Runs `python3 test/oracles/<script>.py <command>` with `request` as JSON on stdin; returns its JSON result. */
export function runOracle<T>(script: string, command: string, request: object = {}): T & { _process: ProcessUsage } {
  const { cmd, args } = oracleCommand(script, command);
  const r = spawnSync(cmd, args, { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new OracleError(r.stderr.trim() || `oracle ${script}.py ${command} failed (${r.status ?? r.signal})`);
  return parseOracleOutput<T>(script, command, r.stdout);
}

/** Oracle results encode ±Infinity as strings and NaN as null (JSON has neither); this turns them back. */
export function oracleNumber(v: number | string | null): number {
  if (v === null) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}

/** The interpreter's and the script's modules' versions (for benchmark reports). */
export function oracleVersions(script: string): Record<string, string | null> {
  const r = spawnSync(oraclePython(script), [scriptPath(script), '--versions'], { encoding: 'utf8' });
  if (r.status !== 0) throw new OracleError(r.stderr.trim());
  return JSON.parse(r.stdout) as Record<string, string | null>;
}

import { runCli } from '../../../src/core/cli/main';
import type { CliEnv } from '../../../src/core/cli/command';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process and returns its exit code with everything it wrote to stdout and stderr. */
export async function captureCli(args: string[], env: Partial<Omit<CliEnv, 'stdout' | 'stderr'>> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), ...env });
  return { code, out, err };
}

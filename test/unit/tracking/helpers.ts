import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, type ConfigInput } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';

export function tempDir(prefix = 'dc-track-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeCtx(workspace: string, overrides: ConfigInput = {}, logs: string[] = []): EngineContext {
  return { workspace, config: loadConfig(workspace, overrides, {}), log: (m) => void logs.push(m) };
}

/** PyYAML's own safe_dump of the same mapping, when python3 + yaml are installed (undefined otherwise) */
export function pyYamlDump(obj: unknown): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; sys.stdout.write(yaml.safe_dump(json.load(sys.stdin), default_flow_style=False))'], {
    input: JSON.stringify(obj),
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : undefined;
}

export function pyYamlLoad(text: string): unknown {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin.read()), sys.stdout)'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

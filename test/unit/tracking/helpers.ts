import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, type ConfigInput } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';
import { runOracle } from '../../oracles/oracle';

export function tempDir(prefix = 'dc-track-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeCtx(workspace: string, overrides: ConfigInput = {}, logs: string[] = []): EngineContext {
  return { workspace, config: loadConfig(workspace, overrides, {}), log: (m) => void logs.push(m) };
}

/** PyYAML's own safe_dump of the same mapping (oracle pyyaml.py) */
export function pyYamlDump(obj: unknown): string {
  return runOracle<{ text: string }>('pyyaml', 'dump', { value: obj }).text;
}

export function pyYamlLoad(text: string): unknown {
  return runOracle<{ value: unknown }>('pyyaml', 'load', { text }).value;
}

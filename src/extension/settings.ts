import * as vscode from 'vscode';
import type { Autonomy } from '../core/protocol';
import { SETTINGS_MAP as MAP } from './settingsMap';

/**
 * Editor settings -> the server's configuration overrides (same shape as driftcatcher.config.json).
 * Only values the user actually set (user/workspace/folder level) are sent, so a workspace's
 * driftcatcher.config.json still applies where the editor has no opinion. The API key comes from SecretStorage.
 */
export interface ServerSettings {
  dataset?: string;
  label?: string;
  drift?: { moderate?: number; severe?: number; pValue?: number; multivariate?: boolean };
  validation?: { accuracy?: number; precision?: number; recall?: number; f1?: number; maxRegression?: number };
  llm?: { baseUrl?: string; model?: string; timeoutMs?: number; apiKey?: string; provider?: 'openai' | 'editor'; editorModel?: string };
  agent?: { autonomy?: Autonomy; escalateAfterFailedValidations?: number };
  watch?: { folders?: string[]; checkIntervalSeconds?: number };
  tracking?: { uri?: string };
  sources?: { trustedHosts?: string[] };
}

export const SECRET_KEY = 'driftcatcher.llm.apiKey';

/** settings a workspace may not set while untrusted (package.json restrictedConfigurations): only the user's value counts */
const RESTRICTED = new Set(['llm.baseUrl', 'tracking.uri', 'watch.folders', 'sources.trustedHosts']);

export function readServerSettings(apiKey: string | undefined): ServerSettings {
  const cfg = vscode.workspace.getConfiguration('driftcatcher');
  const out: Record<string, Record<string, unknown> | unknown> = {};
  for (const [key, [section, field]] of MAP) {
    const i = cfg.inspect(key);
    const v = RESTRICTED.has(key) && !vscode.workspace.isTrusted ? i?.globalValue : (i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue);
    if (v === undefined || v === null || v === '') continue; // empty = "use the default / config file" (null: no floor of its own)
    if (field === undefined) out[section] = v;
    else out[section] = { ...((out[section] as Record<string, unknown>) ?? {}), [field]: v };
  }
  if (apiKey) out.llm = { ...((out.llm as Record<string, unknown>) ?? {}), apiKey };
  return out as ServerSettings;
}

/** the effective autonomy level (including the default), for commands that pass it explicitly */
export function autonomySetting(): Autonomy {
  return vscode.workspace.getConfiguration('driftcatcher').get<Autonomy>('agent.autonomy', 'approve');
}

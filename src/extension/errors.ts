import * as vscode from 'vscode';
import { RequestCancelled } from './client';

let log: ((line: string) => void) | undefined;
let last: string | undefined;

/** where errors are also written (the DriftCatcher output channel) */
export function setErrorLog(fn: (line: string) => void): void {
  log = fn;
}

/** the last error shown to the user (tests put it in their assertion messages) */
export function lastError(): string | undefined {
  return last;
}

/** Show a server or extension error the user can act on; cancellations are silent. */
export function showError(e: unknown): void {
  if (e instanceof RequestCancelled) return;
  const err = e as { message?: unknown; code?: unknown; data?: unknown };
  if (err?.code === -32800) return; // LSP RequestCancelled
  const message = typeof err?.message === 'string' ? err.message : String(e);
  last = message;
  log?.(`[error] ${message}`);
  const where = whereOf(err?.data);
  const actions = where ? ['Open File'] : [];
  void vscode.window.showErrorMessage(`DriftCatcher: ${message}`, ...actions).then(async (a) => {
    if (a && where) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(where.file));
      const pos = new vscode.Position(Math.max(0, (where.line ?? 1) - 1), Math.max(0, (where.column ?? 1) - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
    }
  });
}

function whereOf(data: unknown): { file: string; line?: number; column?: number } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const w = (data as { where?: unknown }).where ?? data;
  if (typeof w !== 'object' || w === null) return undefined;
  const { file, line, column } = w as Record<string, unknown>;
  if (typeof file !== 'string') return undefined;
  return { file, line: typeof line === 'number' ? line : undefined, column: typeof column === 'number' ? column : undefined };
}

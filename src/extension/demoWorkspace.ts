import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** True when `dir` lies inside one of the open workspace folders (the server may write there). */
export function insideWorkspace(dir: vscode.Uri): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => {
    const rel = path.relative(f.uri.fsPath, dir.fsPath);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * A demo folder outside the open workspace cannot be written by the workspace's server (it only touches its own
 * folders), so the bundled CLI — the same engine, in its own process — runs `driftcatcher demo DIR` there: demo
 * data, a validated and deployed model, tracked runs, agent decisions. Progress follows the demo's numbered steps;
 * cancelling stops the process.
 */
export function runDemoCli(context: vscode.ExtensionContext, dir: vscode.Uri, output: vscode.OutputChannel): Thenable<void> {
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'DriftCatcher: building the demo workspace', cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [cli, 'demo', dir.fsPath, '--workspace', dir.fsPath], {
          cwd: dir.fsPath,
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let lastError = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          output.append(text);
          for (const m of text.matchAll(/^(\d+)\. (.+)$/gm)) progress.report({ message: `step ${m[1]}: ${m[2]}` });
        });
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
          output.append(text);
          lastError = text.split('\n').find((l) => l.startsWith('error: ')) ?? lastError;
        });
        token.onCancellationRequested(() => child.kill());
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolve();
          else reject(new Error(token.isCancellationRequested ? 'the demo was cancelled' : lastError.replace(/^error: /, '') || `the demo stopped with exit code ${code}`));
        });
      }),
  );
}

import * as vscode from 'vscode';

const EXCLUDE = '{**/node_modules/**,**/.driftcatcher/**,**/mlruns/**,**/.git/**}';

export async function workspaceCsvs(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.csv', EXCLUDE, 2000);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** a CSV from a command argument (explorer/editor menus pass the Uri), the active editor, or a quick pick */
export async function resolveCsv(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  return (await resolveCsvWithOrigin(arg, title))?.uri;
}

/** the same, saying where the file came from (a command run from the palette on the active editor says so) */
export async function resolveCsvWithOrigin(arg: unknown, title: string): Promise<{ uri: vscode.Uri; origin: 'argument' | 'editor' | 'picker' } | undefined> {
  if (arg instanceof vscode.Uri) return { uri: arg, origin: 'argument' };
  if (typeof arg === 'string' && /\.(csv|parquet)$/i.test(arg)) return { uri: toUri(arg), origin: 'argument' };
  const active = vscode.window.activeTextEditor?.document.uri;
  if (arg === undefined && active && active.path.toLowerCase().endsWith('.csv')) return { uri: active, origin: 'editor' };
  const picked = await pickCsv(title);
  return picked && { uri: picked, origin: 'picker' };
}

export async function pickCsv(title: string, preferred?: RegExp): Promise<vscode.Uri | undefined> {
  const files = await workspaceCsvs();
  if (!files.length) {
    void vscode.window.showWarningMessage('DriftCatcher: no CSV files in this workspace. Try "DriftCatcher: Open Demo Workspace".');
    return undefined;
  }
  const items = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  if (preferred) items.sort((a, b) => Number(preferred.test(b.label)) - Number(preferred.test(a.label)));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a CSV file', matchOnDescription: true }))?.uri;
}

export async function pickCsvs(title: string): Promise<vscode.Uri[] | undefined> {
  const files = await workspaceCsvs();
  const items = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Pick none, one or more CSV files' });
  return picked?.map((p) => p.uri);
}

export function toUri(p: string): vscode.Uri {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, p) : vscode.Uri.file(p);
}

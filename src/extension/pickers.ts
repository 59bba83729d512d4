import * as path from 'node:path';
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

/** a source as the server takes it: a table URI as it is, a path (workspace-relative or absolute) as a file path */
export function sourceText(s: string): string {
  return /^(duckdb:|clickhouse:\/\/|postgres(ql)?:\/\/)/i.test(s.trim()) ? s.trim() : toUri(s).fsPath;
}

export function toUri(p: string): vscode.Uri {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, p) : vscode.Uri.file(p);
}

/** what the user picked for a data source check: the source string the server takes, and an optional --where */
export interface PickedSource {
  source: string;
  where?: string;
}

const RECENT_SOURCES = 'driftcatcher.recentSources';
const SOURCE_HINT =
  'A Parquet file or glob (workspace-relative), or a table: duckdb:FILE.duckdb?table=T, clickhouse://HOST:PORT/DB/TABLE, postgresql://USER@HOST:PORT/DB?table=T (passwords come from the environment, never from here)';

/** what a source is picked for: drift (the default) or training data */
export interface SourcePurpose {
  /** the quick pick's title */
  title: string;
  /** what the picked table is used for, in the table prompt ("check", "train on") */
  verb: string;
}

const FOR_DRIFT: SourcePurpose = { title: 'Check drift of which data?', verb: 'check' };

/**
 * A data source other than one CSV, picked from what the workspace holds (Parquet files, folders of Parquet parts
 * as one glob, tables of .duckdb files) and the sources used recently, or typed as a table URI; then an optional
 * SQL predicate selecting the rows (a time window). Passwords are refused here: they come from the environment.
 * Drift checks and training pick their sources here alike.
 */
export async function pickSource(state: vscode.Memento, purpose: SourcePurpose = FOR_DRIFT): Promise<PickedSource | undefined> {
  type Item = vscode.QuickPickItem & { source?: string; duckdb?: string; typed?: true };
  const rel = (u: vscode.Uri) => vscode.workspace.asRelativePath(u, false);
  const [parquet, duckdb] = await Promise.all([
    vscode.workspace.findFiles('**/*.parquet', EXCLUDE, 2000),
    vscode.workspace.findFiles('**/*.duckdb', EXCLUDE, 200),
  ]);
  const folders = new Map<string, number>();
  for (const u of parquet) {
    const dir = path.posix.dirname(rel(u));
    folders.set(dir, (folders.get(dir) ?? 0) + 1);
  }
  const recent = state.get<string[]>(RECENT_SOURCES, []);
  const items: Item[] = [
    { label: '$(edit) Enter a source or table URI…', detail: SOURCE_HINT, typed: true },
    ...(recent.length ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...recent.map((s) => ({ label: s, description: 'used recently', source: s })),
    ...(parquet.length ? [{ label: 'Parquet', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...[...folders]
      .filter(([, n]) => n > 1)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([dir, n]) => ({ label: dir === '.' ? '*.parquet' : `${dir}/*.parquet`, description: `all ${n} Parquet files as one dataset`, source: dir === '.' ? '*.parquet' : `${dir}/*.parquet` })),
    ...parquet.map(rel).sort().map((p) => ({ label: p, description: 'Parquet file', source: p })),
    ...(duckdb.length ? [{ label: 'DuckDB', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...duckdb.map(rel).sort().map((p) => ({ label: p, description: 'DuckDB database: pick a table next', duckdb: p })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: purpose.title, placeHolder: 'A Parquet file, a folder of parts, a table…', matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  let source = picked.source;
  if (picked.duckdb) {
    const table = await vscode.window.showInputBox({ title: `Table in ${picked.duckdb}`, prompt: `The table (or view) to ${purpose.verb}`, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'a table name is needed') });
    if (!table?.trim()) return undefined;
    source = `duckdb:${picked.duckdb}?table=${table.trim()}`;
  }
  if (picked.typed) {
    source = (
      await vscode.window.showInputBox({
        title: purpose.title,
        prompt: SOURCE_HINT,
        placeHolder: 'data/batches/*.parquet',
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() ? 'a source is needed' : /:\/\/[^/@]*:[^/@]*@/.test(v) ? 'leave the password out: it is read from CLICKHOUSE_PASSWORD / PGPASSWORD' : undefined),
      })
    )?.trim();
  }
  if (!source) return undefined;
  const where = await vscode.window.showInputBox({
    title: `Rows of ${source}`,
    prompt: 'Only the rows where… (an SQL predicate, e.g. a time window: date >= \'2024-06-01\'); leave empty for all rows',
    ignoreFocusOut: true,
  });
  if (where === undefined) return undefined;
  return { source, ...(where.trim() ? { where: where.trim() } : {}) };
}

/**
 * The source a command works on: one a caller (the dashboard, a script) passed as a string with `{ where }` in its
 * options, else one the person picks (pickSource).
 */
export async function givenOrPickedSource(state: vscode.Memento, arg: unknown, opts: unknown, purpose?: SourcePurpose): Promise<PickedSource | undefined> {
  if (typeof arg !== 'string') return pickSource(state, purpose);
  const given = typeof opts === 'object' && opts !== null ? (opts as { where?: unknown }).where : undefined;
  const where = typeof given === 'string' && given.trim() ? given.trim() : undefined;
  return arg.trim() ? { source: arg.trim(), ...(where ? { where } : {}) } : undefined;
}

/** how a picked source and its predicate are named in messages */
export function sourceLabel(p: PickedSource): string {
  return `${p.source}${p.where ? ` where ${p.where}` : ''}`;
}

/** the source goes first in the recent list (five kept) */
export async function rememberSource(state: vscode.Memento, source: string): Promise<void> {
  const recent = state.get<string[]>(RECENT_SOURCES, []).filter((s) => s !== source);
  await state.update(RECENT_SOURCES, [source, ...recent].slice(0, 5));
}

/** a picked CSV or, from the last item, any other source (pickSource) */
const OTHER_SOURCE = '$(database) A Parquet file, folder or table…';

/**
 * Training data: a CSV of the workspace, or any other source — a Parquet file, a folder of parts, a DuckDB,
 * ClickHouse or PostgreSQL table — through the drift check's source picker, with its row predicate.
 */
export async function pickTrainingData(state: vscode.Memento, title: string, preferred?: RegExp): Promise<PickedSource | undefined> {
  const files = await workspaceCsvs();
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  if (preferred) items.sort((a, b) => Number(preferred.test(b.label)) - Number(preferred.test(a.label)));
  items.push({ label: OTHER_SOURCE, description: 'sampled in its engine, stratified by label' });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a CSV file, or another source', matchOnDescription: true });
  if (!picked) return undefined;
  return picked.uri ? { source: picked.uri.fsPath } : pickSource(state, { title, verb: 'train on' });
}

/**
 * New labelled batches to add: none, one or more CSVs of the workspace, and optionally one other source (its row
 * predicate, if any, is the training's `where`, which applies to every new-data source: so it cannot be mixed with CSVs).
 */
export async function pickNewData(state: vscode.Memento, title: string): Promise<{ sources: string[]; where?: string } | undefined> {
  const files = await workspaceCsvs();
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = [
    ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { label: OTHER_SOURCE, description: 'sampled in its engine, stratified by label' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Pick none, one or more CSV files, or another source' });
  if (!picked) return undefined;
  const sources = picked.filter((p) => p.uri).map((p) => p.uri!.fsPath);
  if (!picked.some((p) => !p.uri)) return { sources };
  const other = await pickSource(state, { title, verb: 'train on' });
  if (!other) return undefined;
  if (other.where && sources.length) {
    void vscode.window.showWarningMessage(`DriftCatcher: the row predicate "${other.where}" would apply to every new batch, and CSV files cannot be filtered: add ${other.source} alone, or without a predicate.`);
    return undefined;
  }
  return { sources: [...sources, other.source], ...(other.where ? { where: other.where } : {}) };
}

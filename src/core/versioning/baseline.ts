import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import type { BaselineVersion, RestoreBaselineParams } from '../protocol';
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from '../util/atomicWrite';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { withLock } from '../util/lock';
import { cacheDir, DVC_DIR, initDvcDir, objectPath, parseDvcFile } from './dvcFormat';
import { builtinAdd, builtinCheckout, builtinPush, countRows } from './dvcWriter';
import { findDvc, runDvc } from './dvcCli';
import { commitPaths, isGitRepo, logOf, resolveCommit, showAt } from './git';

/** Where the growing baseline lives in a workspace; training writes the combined data here after a deploy. */
export const BASELINE_FILE = 'data/baseline.csv';
/** which baseline is in the workspace now, and which production model goes with it */
export const BASELINE_STATE_FILE = 'baseline.json';

const ROWS_TRAILER = 'DriftCatcher-Rows';
const MODEL_TRAILER = 'DriftCatcher-Model';
const RESTORED_TRAILER = 'DriftCatcher-Restored-From';

export interface VersionBaselineParams {
  /** the CSV to version, relative to the workspace (default data/baseline.csv) */
  file?: string;
  /** the model trained on it, named in the commit message */
  modelVersion?: string;
}

/** a version plus what the user should know (not committed, remote not pushed…) */
export type BaselineResult = BaselineVersion & { committed: boolean; notices: string[]; pushed?: string };

export interface VersioningOptions {
  /** false forces the built-in DVC writer even when `dvc` is on PATH (tests); default: use dvc when found */
  useDvcCli?: boolean;
}

/**
 * Versions a baseline CSV: DVC (the real CLI when installed, else the built-in DVC 3 writer), a push to the default
 * remote, and a git commit of the .dvc file and .gitignore whose message names the model version and row count.
 */
export async function versionBaseline(ctx: EngineContext, params: VersionBaselineParams, options: VersioningOptions = {}): Promise<BaselineResult> {
  const rel = workspaceRelative(ctx.workspace, params.file ?? BASELINE_FILE);
  const file = path.join(ctx.workspace, rel);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new DriftCatcherError(`baseline ${rel} does not exist`, 'NOT_FOUND', { file });
  return withLock(path.join(stateDir(ctx.workspace), 'baseline.lock'), async () => {
    throwIfAborted(ctx.signal, 'baseline versioning');
    const inGit = await isGitRepo(ctx.workspace);
    const notices: string[] = [];
    const dvc = options.useDvcCli === false ? undefined : findDvc();
    const toCommit: string[] = [];
    let out: { md5: string; size: number; rows: number; dvcFile: string; gitignore: string };
    let pushed: string | undefined;
    if (dvc) {
      if (!fs.existsSync(path.join(ctx.workspace, DVC_DIR))) {
        await runDvc(dvc, ctx.workspace, inGit ? ['init'] : ['init', '--no-scm'], ctx.signal);
        toCommit.push(path.join(DVC_DIR, 'config'), path.join(DVC_DIR, '.gitignore'), '.dvcignore');
      }
      await runDvc(dvc, ctx.workspace, ['add', rel], ctx.signal);
      const parsed = parseDvcFile(fs.readFileSync(`${file}.dvc`, 'utf8'), `${file}.dvc`);
      out = { md5: parsed.md5, size: parsed.size, rows: await countRows(file), dvcFile: `${file}.dvc`, gitignore: path.join(path.dirname(file), '.gitignore') };
      const remote = (await runDvc(dvc, ctx.workspace, ['remote', 'default'], ctx.signal).catch(() => '')).trim();
      if (remote) {
        await runDvc(dvc, ctx.workspace, ['push', `${rel}.dvc`], ctx.signal);
        pushed = remote;
      }
    } else {
      toCommit.push(...initDvcDir(ctx.workspace, inGit).map((f) => path.relative(ctx.workspace, f)));
      out = await builtinAdd(ctx.workspace, file, ctx.signal);
      const push = builtinPush(ctx.workspace, out.md5);
      pushed = push.pushed;
      if (push.notice) notices.push(push.notice);
    }
    toCommit.push(path.relative(ctx.workspace, out.dvcFile), path.relative(ctx.workspace, out.gitignore));

    const message = commitMessage(rel, out, params.modelVersion);
    let rev = '';
    let committed = false;
    if (!inGit) {
      notices.push(`${ctx.workspace} is not a git repository: ${rel}.dvc was written but nothing was committed (run \`git init\` to keep baseline history)`);
    } else {
      const commit = await commitPaths(ctx.workspace, toCommit, message);
      if (commit) {
        rev = commit;
        committed = true;
      } else {
        rev = (await logOf(ctx.workspace, `${rel}.dvc`))[0]?.rev ?? '';
        notices.push(`${rel} is unchanged since the last baseline version; nothing new to commit`);
      }
    }
    const version: BaselineVersion = {
      rev,
      date: new Date().toISOString(),
      message,
      md5: out.md5,
      size: out.size,
      rows: out.rows,
      ...(params.modelVersion ? { model_version: params.modelVersion } : {}),
    };
    recordBaseline(ctx, version, params.modelVersion);
    for (const n of notices) ctx.log?.(n);
    return { ...version, committed, notices, ...(pushed ? { pushed } : {}) };
  });
}

/** Baseline versions from `git log` of the .dvc file, newest first, with md5/size from the .dvc file at each commit. */
export async function baselineHistory(ctx: EngineContext, params: { file?: string } = {}): Promise<BaselineVersion[]> {
  const rel = workspaceRelative(ctx.workspace, params.file ?? BASELINE_FILE);
  if (!(await isGitRepo(ctx.workspace))) return [];
  const out: BaselineVersion[] = [];
  for (const entry of await logOf(ctx.workspace, `${rel}.dvc`)) {
    const text = await showAt(ctx.workspace, entry.rev, `${rel}.dvc`);
    if (text === undefined) continue; // the commit deleted the .dvc file
    let dvcOut;
    try {
      dvcOut = parseDvcFile(text, `${rel}.dvc@${entry.rev.slice(0, 8)}`);
    } catch {
      continue;
    }
    const rows = trailer(entry.message, ROWS_TRAILER);
    const model = trailer(entry.message, MODEL_TRAILER);
    out.push({
      rev: entry.rev,
      date: entry.date,
      message: entry.message.split('\n')[0],
      md5: dvcOut.md5,
      size: dvcOut.size,
      ...(rows !== undefined && Number.isFinite(Number(rows)) ? { rows: Number(rows) } : {}),
      ...(model ? { model_version: model } : {}),
    });
  }
  return out;
}

/**
 * Restores the baseline of commit `rev`: the .dvc file as it was at rev, the data materialised from the DVC cache
 * (byte-identical, md5-checked), a commit recording the restore, and `.driftcatcher/baseline.json` noting which
 * baseline now goes with the production model.
 */
export async function restoreBaseline(ctx: EngineContext, params: RestoreBaselineParams & { file?: string }, options: VersioningOptions = {}): Promise<BaselineResult> {
  const rel = workspaceRelative(ctx.workspace, params.file ?? BASELINE_FILE);
  if (!(await isGitRepo(ctx.workspace))) throw new DriftCatcherError(`${ctx.workspace} is not a git repository, so there is no baseline history to restore from`, 'REGISTRY');
  return withLock(path.join(stateDir(ctx.workspace), 'baseline.lock'), async () => {
    const rev = await resolveCommit(ctx.workspace, params.rev);
    const text = await showAt(ctx.workspace, rev, `${rel}.dvc`);
    if (text === undefined) throw new DriftCatcherError(`commit ${params.rev} has no ${rel}.dvc (see \`driftcatcher baseline history\`)`, 'NOT_FOUND');
    const dvcOut = parseDvcFile(text, `${rel}.dvc@${params.rev}`);
    const version = (await baselineHistory(ctx, { file: rel })).find((v) => v.rev === rev);
    const dvcFile = path.join(ctx.workspace, `${rel}.dvc`);
    const before = fs.existsSync(dvcFile) ? fs.readFileSync(dvcFile, 'utf8') : undefined;
    // `git checkout REV -- file.dvc`, written atomically
    writeFileAtomic(dvcFile, text);
    const dvc = options.useDvcCli === false ? undefined : findDvc();
    try {
      if (dvc && !fs.existsSync(objectPath(cacheDir(ctx.workspace), dvcOut.md5))) {
        await runDvc(dvc, ctx.workspace, ['pull', `${rel}.dvc`], ctx.signal);
      } else if (dvc) {
        await runDvc(dvc, ctx.workspace, ['checkout', `${rel}.dvc`], ctx.signal);
      } else {
        await builtinCheckout(ctx.workspace, dvcFile);
      }
    } catch (e) {
      // leave the workspace as it was: the .dvc file must keep describing the data that is there
      if (before === undefined) fs.rmSync(dvcFile, { force: true });
      else writeFileAtomic(dvcFile, before);
      throw e;
    }
    const rows = version?.rows ?? (await countRows(path.join(ctx.workspace, rel)));
    const lines = [`Restore baseline ${rel} to ${rev.slice(0, 8)} (${rows} rows, md5 ${dvcOut.md5.slice(0, 8)})`, '', `${ROWS_TRAILER}: ${rows}`];
    if (version?.model_version) lines.push(`${MODEL_TRAILER}: ${version.model_version}`);
    lines.push(`${RESTORED_TRAILER}: ${rev}`);
    const commit = await commitPaths(ctx.workspace, [`${rel}.dvc`], lines.join('\n'));
    const restored: BaselineVersion = {
      rev,
      date: version?.date ?? new Date().toISOString(),
      message: version?.message ?? lines[0],
      md5: dvcOut.md5,
      size: dvcOut.size,
      rows,
      ...(version?.model_version ? { model_version: version.model_version } : {}),
    };
    recordBaseline(ctx, restored, productionVersion(ctx.workspace), rev);
    const notices = commit ? [] : [`${rel} was already at ${rev.slice(0, 8)}; the data was re-materialised from the cache`];
    for (const n of notices) ctx.log?.(n);
    return { ...restored, committed: Boolean(commit), notices };
  });
}

function commitMessage(rel: string, out: { md5: string; rows: number }, modelVersion?: string): string {
  const subject = modelVersion
    ? `Baseline for model ${modelVersion}: ${rel} (${out.rows} rows, md5 ${out.md5.slice(0, 8)})`
    : `Baseline ${rel} (${out.rows} rows, md5 ${out.md5.slice(0, 8)})`;
  return [subject, '', `${ROWS_TRAILER}: ${out.rows}`, ...(modelVersion ? [`${MODEL_TRAILER}: ${modelVersion}`] : [])].join('\n');
}

function trailer(message: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:\\s*(.+)$`, 'm').exec(message);
  return m?.[1].trim();
}

/**
 * `.driftcatcher/baseline.json`: the baseline now in the workspace and the production model it goes with;
 * a model's meta.json also gets `baseline_version` (the commit of the data it was trained on).
 */
function recordBaseline(ctx: EngineContext, version: BaselineVersion, modelVersion?: string, restoredFrom?: string): void {
  writeJsonAtomic(path.join(stateDir(ctx.workspace), BASELINE_STATE_FILE), {
    ...version,
    production_model: modelVersion ?? null,
    ...(restoredFrom ? { restored_from: restoredFrom, restored_at: new Date().toISOString() } : {}),
  });
  if (!modelVersion || !version.rev) return;
  const meta = path.join(stateDir(ctx.workspace), 'models', modelVersion, 'meta.json');
  if (!fs.existsSync(meta)) return;
  try {
    const m = readJsonFile<Record<string, unknown>>(meta);
    if (m && typeof m === 'object' && m.baseline_version !== version.rev) writeJsonAtomic(meta, { ...m, baseline_version: version.rev });
  } catch {
    ctx.log?.(`could not record baseline ${version.rev.slice(0, 8)} in ${meta}`);
  }
}

function productionVersion(workspace: string): string | undefined {
  try {
    const p = readJsonFile<{ version?: unknown }>(path.join(stateDir(workspace), 'production.json'));
    return typeof p.version === 'string' ? p.version : undefined;
  } catch {
    return undefined;
  }
}

function workspaceRelative(workspace: string, file: string): string {
  const abs = path.resolve(workspace, file);
  const rel = path.relative(workspace, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new DriftCatcherError(`${file} is outside the workspace ${workspace}; baselines must live inside it`, 'OUTSIDE_WORKSPACE', { file });
  }
  return rel.split(path.sep).join('/');
}

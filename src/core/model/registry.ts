import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import { Notifications, type ModelStatus, type ModelVersion, type ValidationResult } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { removeLeftoverLocks, withLock } from '../util/lock';
import { processGone, processStartTime } from '../util/processIdentity';
import { hashVersionFiles, verifyVersionFile } from './versionFiles';
import { markProductionRun } from '../tracking/pipelineRuns';
import { readJsonValidated } from '../util/jsonFile';
import {
  DeploymentLogSchema,
  ModelVersionSchema,
  ProductionPointerSchema,
  ValidationResultSchema,
  type DeploymentEvent,
  type ProductionPointer,
} from './schemas';

/**
 * The model registry in `<ws>/.driftcatcher/`: `models/vN/{model.json, profile.json, meta.json, validation.json}`,
 * `production.json` (the production pointer and its deploy stack) and `deployments.json` (audit log).
 *
 * Crash safety: every file is written atomically (temp + rename) and a version directory appears only by renaming
 * a fully written staging directory. `production.json` alone decides what is in production; the `status` fields
 * of meta.json are a convenience that is reconciled on read, so a kill -9 between two writes can never show two
 * production versions. Writers are serialised by the lock `<ws>/.driftcatcher/lock`. Nothing is ever deleted.
 */

const VERSION_RE = /^v([1-9][0-9]*)$/;

export function modelsDir(ws: string): string {
  return path.join(stateDir(ws), 'models');
}
export function versionDir(ws: string, version: string): string {
  return path.join(modelsDir(ws), checkVersionName(version));
}
export function lockDir(ws: string): string {
  return path.join(stateDir(ws), 'lock');
}
function pointerFile(ws: string): string {
  return path.join(stateDir(ws), 'production.json');
}
function deploymentsFile(ws: string): string {
  return path.join(stateDir(ws), 'deployments.json');
}

/** Serialise registry writers across processes (the CLI, the server, the agent). */
export function withRegistryLock<T>(ws: string, fn: () => Promise<T> | T): Promise<T> {
  return withLock(lockDir(ws), () => {
    sweepLeftovers(ws);
    return fn();
  });
}

export function checkVersionName(version: string): string {
  if (!VERSION_RE.test(version)) throw new DriftCatcherError(`'${version}' is not a model version (expected v1, v2, …)`, 'BAD_INPUT');
  return version;
}
export function versionNumber(version: string): number {
  return Number(checkVersionName(version).slice(1));
}

function readValidated<S extends z.ZodTypeAny>(file: string, schema: S, what: string): z.infer<S> {
  return readJsonValidated(file, schema, what, 'REGISTRY');
}

/** The production pointer, or undefined when nothing was ever deployed. */
export function readPointer(ws: string): ProductionPointer | undefined {
  const file = pointerFile(ws);
  if (!fs.existsSync(file)) return undefined;
  return readValidated(file, ProductionPointerSchema, 'production pointer');
}

/** The version in production, or undefined. */
export function productionVersion(ws: string): string | undefined {
  return readPointer(ws)?.version;
}

/** Version names present in the registry, oldest first (staging directories are ignored). */
export function versionNames(ws: string): string[] {
  const dir = modelsDir(ws);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => VERSION_RE.test(n) && fs.existsSync(path.join(dir, n, 'meta.json')))
    .sort((a, b) => versionNumber(a) - versionNumber(b));
}

function readMetaRaw(ws: string, version: string): ModelVersion {
  return readValidated(path.join(versionDir(ws, version), 'meta.json'), ModelVersionSchema, `meta.json of ${version}`);
}

export function readValidation(ws: string, version: string): ValidationResult | undefined {
  const file = path.join(versionDir(ws, version), 'validation.json');
  if (!fs.existsSync(file)) return undefined;
  return readValidated(file, ValidationResultSchema, `validation.json of ${version}`);
}

/** Status derived from the pointer (the truth), the deploy stack, the validation file and the stored status. */
function reconcile(meta: ModelVersion, pointer: ProductionPointer | undefined, validation: ValidationResult | undefined): ModelVersion {
  const v = meta.version;
  let status: ModelStatus;
  if (pointer?.version === v) status = 'production';
  else if (meta.status === 'production' || meta.status === 'archived' || pointer?.stack?.includes(v)) status = 'archived';
  else if (validation) status = validation.passed ? 'candidate' : 'rejected';
  else status = meta.status;
  const out: ModelVersion = { ...meta, status };
  if (validation) out.validation = validation;
  if (status === 'production' && pointer?.deployed_at && !meta.deployed_at) out.deployed_at = pointer.deployed_at;
  return out;
}

/** Every version with its reconciled status, oldest first. */
export function listVersions(ws: string): ModelVersion[] {
  const pointer = readPointer(ws);
  return versionNames(ws).map((v) => reconcile(readMetaRaw(ws, v), pointer, readValidation(ws, v)));
}

export function getVersion(ws: string, version: string): ModelVersion {
  if (!fs.existsSync(path.join(versionDir(ws, version), 'meta.json'))) {
    const known = versionNames(ws);
    throw new DriftCatcherError(
      `model ${version} does not exist in ${modelsDir(ws)} (${known.length ? `versions: ${known.join(', ')}` : 'the registry is empty; run driftcatcher train first'})`,
      'NOT_FOUND',
    );
  }
  return reconcile(readMetaRaw(ws, version), readPointer(ws), readValidation(ws, version));
}

/** The newest version still waiting for a deploy (status candidate), if any. */
export function newestCandidate(ws: string): ModelVersion | undefined {
  return listVersions(ws)
    .filter((m) => m.status === 'candidate')
    .pop();
}

// ---------- writing ----------

/** A fresh private directory to assemble a version in; commitVersion renames it into place. */
export function createStagingDir(ws: string): string {
  const dir = path.join(modelsDir(ws), `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function discardStagingDir(dir: string): void {
  if (path.basename(dir).startsWith('.staging-')) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * What crashed processes left behind, removed on the next registry operation: staging directories whose process
 * is gone (`.staging-<pid>-…`: no such pid, or it now belongs to a process started after the folder was made) and
 * locks whose owner is gone. Returns what was removed.
 */
export function sweepLeftovers(ws: string): string[] {
  const removed: string[] = [];
  const models = modelsDir(ws);
  let names: string[] = [];
  try {
    names = fs.readdirSync(models);
  } catch {
    /* no registry yet */
  }
  for (const name of names) {
    const m = /^\.staging-(\d+)-/.exec(name);
    if (!m) continue;
    const dir = path.join(models, name);
    let made: number;
    try {
      made = fs.statSync(dir).birthtimeMs || fs.statSync(dir).mtimeMs;
    } catch {
      continue;
    }
    const pid = Number(m[1]);
    const started = processStartTime(pid);
    const gone = processGone({ pid, host: os.hostname() }) || (started !== undefined && started > made + 2000);
    if (!gone || pid === process.pid) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  removed.push(...removeLeftoverLocks([stateDir(ws)]));
  return removed;
}

/**
 * Give a staged directory the next version number and move it into the registry, under the lock.
 * meta.json is written into the staging directory first, so a version directory is always complete.
 */
export async function commitVersion(
  ws: string,
  stagingDir: string,
  meta: Omit<ModelVersion, 'version' | 'status'> & { status?: ModelStatus },
): Promise<ModelVersion> {
  const files = await hashVersionFiles(stagingDir); // checked whenever a file of the version is used
  return withRegistryLock(ws, () => {
    const taken = fs.existsSync(modelsDir(ws)) ? fs.readdirSync(modelsDir(ws)).filter((n) => VERSION_RE.test(n)) : [];
    const next = taken.reduce((m, n) => Math.max(m, versionNumber(n)), 0) + 1;
    const version = `v${next}`;
    const full: ModelVersion = { ...meta, version, status: meta.status ?? 'candidate', files };
    writeJsonAtomic(path.join(stagingDir, 'meta.json'), full);
    fs.renameSync(stagingDir, versionDir(ws, version));
    return full;
  });
}

function writeMeta(ws: string, meta: ModelVersion): void {
  writeJsonAtomic(path.join(versionDir(ws, meta.version), 'meta.json'), meta);
}

/** Store a validation result with its version: validation.json first (the truth), then meta.json's status. */
export async function recordValidation(ws: string, result: ValidationResult): Promise<ModelVersion> {
  return withRegistryLock(ws, () => writeValidationLocked(ws, result));
}

/** recordValidation for a caller that already holds the registry lock (deploy's re-validation). */
export function writeValidationLocked(ws: string, result: ValidationResult): ModelVersion {
  getVersion(ws, result.version); // NOT_FOUND when missing
  writeJsonAtomic(path.join(versionDir(ws, result.version), 'validation.json'), result);
  const meta = readMetaRaw(ws, result.version);
  const keep = meta.status === 'production' || meta.status === 'archived';
  writeMeta(ws, { ...meta, validation: result, status: keep ? meta.status : result.passed ? 'candidate' : 'rejected' });
  return getVersion(ws, result.version);
}

function appendDeployment(ws: string, event: DeploymentEvent): void {
  const file = deploymentsFile(ws);
  let log: DeploymentEvent[] = [];
  if (fs.existsSync(file)) {
    try {
      log = readValidated(file, DeploymentLogSchema, 'deployment log');
    } catch {
      log = []; // the audit log never blocks a deploy; production.json is the truth
    }
  }
  log.push(event);
  writeJsonAtomic(file, log);
}

/** The audit log of deploys and rollbacks, oldest first. */
export function deploymentHistory(ws: string): DeploymentEvent[] {
  const file = deploymentsFile(ws);
  return fs.existsSync(file) ? readValidated(file, DeploymentLogSchema, 'deployment log') : [];
}

/** Switch production to `to`: one atomic write of production.json commits it; the meta.json statuses follow. */
export function switchProduction(ws: string, to: string, stack: string[], action: DeploymentEvent['action'], previous: string | undefined): void {
  const at = new Date().toISOString();
  writeJsonAtomic(pointerFile(ws), { version: to, deployed_at: at, stack } satisfies ProductionPointer);
  if (previous && previous !== to) writeMeta(ws, { ...readMetaRaw(ws, previous), status: 'archived' });
  writeMeta(ws, { ...readMetaRaw(ws, to), status: 'production', deployed_at: at });
  appendDeployment(ws, { action, version: to, previous: previous ?? null, at });
}

/** Tell clients the registry changed (server: a modelsChanged notification; CLI: nothing). */
export function notifyModels(ctx: EngineContext): void {
  if (!ctx.notify) return;
  ctx.notify(Notifications.modelsChanged, { models: listVersions(ctx.workspace), production: productionVersion(ctx.workspace) });
}

/** Switch production back to the version that was in production before the current one. */
export async function rollback(ctx: EngineContext, _params: Record<string, never> = {}): Promise<ModelVersion> {
  const ws = ctx.workspace;
  const result = await withRegistryLock(ws, () => {
    const pointer = readPointer(ws);
    if (!pointer) throw new DriftCatcherError('nothing is in production, so there is nothing to roll back', 'REGISTRY');
    const stack = pointer.stack ?? [pointer.version];
    if (stack.length < 2) {
      throw new DriftCatcherError(`no previous production version to roll back to (${pointer.version} is the first one deployed)`, 'REGISTRY');
    }
    const target = stack[stack.length - 2];
    getVersion(ws, target); // NOT_FOUND if someone removed it by hand
    switchProduction(ws, target, stack.slice(0, -1), 'rollback', pointer.version);
    ctx.log?.(`rolled back from ${pointer.version} to ${target}`);
    return getVersion(ws, target);
  });
  notifyModels(ctx);
  await markProductionRun(ctx, result.version); // the alias `production` follows the rollback too; never throws
  return result;
}

/** All versions with status, for the CLI `models` command and the server. */
export async function listModels(ctx: EngineContext, _params: Record<string, never> = {}): Promise<ModelVersion[]> {
  if (!ctx.config.trust?.restricted) sweepLeftovers(ctx.workspace);
  const missing = missingProduction(ctx.workspace);
  if (missing) ctx.log?.(`warning: ${missing}`);
  return listVersions(ctx.workspace);
}

/** production.json names a version that is not in the registry (its folder was removed or never copied) */
export function missingProduction(ws: string): string | undefined {
  const v = productionVersion(ws);
  if (!v || fs.existsSync(path.join(versionDir(ws, v), 'meta.json'))) return undefined;
  return `production points at ${v}, which is not in the registry (${versionDir(ws, v)} is missing): deploy another version (driftcatcher deploy --version vN) or restore that folder`;
}

/** A file of a version (model.json, profile.json, baseline.csv), checked against the sha256 recorded at training. */
export function verifiedVersionFile(ws: string, version: string, name: string): string {
  const dir = versionDir(ws, version);
  verifyVersionFile(dir, version, name, readMetaRaw(ws, version).files);
  return path.join(dir, name);
}

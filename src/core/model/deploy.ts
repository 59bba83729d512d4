import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { DeployParams, ModelVersion } from '../protocol';
import { markProductionRun } from '../tracking/pipelineRuns';
import { DriftCatcherError } from '../util/errors';
import { failedChecks } from './gate';
import { getVersion, newestCandidate, notifyModels, readPointer, readValidation, switchProduction, withRegistryLock, writeValidationLocked } from './registry';
import { scoreGate } from './validate';

/**
 * Deploy a version (default: the newest candidate), under the registry lock. Refused (code GATE) unless its
 * validation passed against the production model of this moment: a candidate validated against an older
 * production (or when nothing was in production) is re-validated on the same holdout against the current one
 * before the switch, inside the lock, so no deploy or rollback can slip in between the comparison and the switch.
 * Deploying the version already in production changes nothing.
 */
export async function deploy(ctx: EngineContext, params: DeployParams = {}): Promise<ModelVersion> {
  const ws = ctx.workspace;
  const result = await withRegistryLock(ws, async () => {
    let version = params.version;
    if (!version) {
      const c = newestCandidate(ws);
      if (!c) throw new DriftCatcherError('there is no candidate model to deploy (train one first, or pass --version vN)', 'REGISTRY');
      version = c.version;
    }
    const meta = getVersion(ws, version);
    let validation = readValidation(ws, version);
    if (!validation) {
      throw new DriftCatcherError(`refusing to deploy ${version}: it was never validated (run: driftcatcher validate --version ${version})`, 'GATE');
    }
    if (!validation.passed) {
      throw new DriftCatcherError(`refusing to deploy ${version}: it failed its validation gate (${failedChecks(validation.checks)})`, 'GATE');
    }
    const pointer = readPointer(ws);
    if (pointer?.version === version) {
      ctx.log?.(`${version} is already in production`);
      return meta;
    }
    const comparedWith = validation.production_metrics?.version;
    if (pointer && comparedWith !== pointer.version) {
      const holdout = validation.holdout;
      if (!fs.existsSync(path.resolve(ws, holdout.path))) {
        throw new DriftCatcherError(
          `refusing to deploy ${version}: it was validated against ${comparedWith ? `production ${comparedWith}` : 'no production model'}, production is now ${pointer.version}, and its holdout ${holdout.path} is gone (run: driftcatcher validate --version ${version})`,
          'GATE',
        );
      }
      ctx.log?.(`${version} was validated against ${comparedWith ? `production ${comparedWith}` : 'no production model'}; production is now ${pointer.version}: re-validating on ${holdout.path}`);
      validation = { ...(await scoreGate(ctx, version, holdout, pointer.version)), revalidated_for_deploy: true };
      writeValidationLocked(ws, validation);
      if (!validation.passed) {
        throw new DriftCatcherError(
          `refusing to deploy ${version}: re-validated against production ${pointer.version} on the same holdout, it fails (${failedChecks(validation.checks)})`,
          'GATE',
        );
      }
    }
    const stack = [...(pointer?.stack ?? (pointer ? [pointer.version] : [])), version];
    switchProduction(ws, version, stack, 'deploy', pointer?.version);
    ctx.log?.(`deployed ${version}${pointer ? ` (previous production ${pointer.version} archived)` : ''}`);
    return getVersion(ws, version);
  });
  notifyModels(ctx);
  await markProductionRun(ctx, result.version); // MLflow registry alias `production`; never throws
  return result;
}

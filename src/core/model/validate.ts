import type { EngineContext } from '../engine';
import type { ValidateParams, ValidationResult } from '../protocol';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { evaluateForest, loadForModel, loadModel, trainingMajority } from './evaluate';
import { gateChecks } from './gate';
import { resolveInput } from './paths';
import { newestCandidate, productionVersion, recordValidation } from './registry';

/**
 * The validation gate: the candidate (default: the newest candidate) is scored on the holdout against the
 * thresholds of config.validation; when another version is in production it is scored on the same holdout and
 * the candidate may not be worse by more than maxRegression. The result is stored with the version
 * (validation.json); a failed gate marks the version rejected, and deploy refuses it.
 */
export async function validate(ctx: EngineContext, p: ValidateParams): Promise<ValidationResult> {
  const ws = ctx.workspace;
  if (!p.holdout) throw new DriftCatcherError('a holdout file is required (--holdout H.csv)', 'BAD_INPUT');
  const holdout = resolveInput(ws, p.holdout, 'holdout');
  const version = p.version ?? newestCandidate(ws)?.version;
  if (!version) throw new DriftCatcherError('there is no candidate model to validate (train one first, or pass --version vN)', 'REGISTRY');

  ctx.progress?.(0, `scoring ${version} on ${p.holdout}`);
  const cand = loadModel(ws, version);
  const data = await loadForModel(ctx, cand.meta, holdout);
  const candidate_metrics = evaluateForest(cand.forest, data.X, data.y, cand.meta.classes, trainingMajority(cand.meta));
  throwIfAborted(ctx.signal, 'validation');

  let production_metrics: ValidationResult['production_metrics'];
  const prod = productionVersion(ws);
  if (prod && prod !== version) {
    ctx.progress?.(50, `scoring production ${prod} on the same holdout`);
    const pm = loadModel(ws, prod);
    const pdata = await loadForModel(ctx, pm.meta, holdout);
    production_metrics = { ...evaluateForest(pm.forest, pdata.X, pdata.y, pm.meta.classes, trainingMajority(pm.meta)), version: prod };
  }
  throwIfAborted(ctx.signal, 'validation');

  const checks = gateChecks(candidate_metrics, ctx.config.validation, production_metrics);
  const result: ValidationResult = {
    version,
    passed: checks.every((c) => c.passed),
    checks,
    holdout: { path: p.holdout, rows: data.rows },
    candidate_metrics,
    ...(production_metrics ? { production_metrics } : {}),
    validated_at: new Date().toISOString(),
  };
  await recordValidation(ws, result);
  ctx.progress?.(100, `${version} ${result.passed ? 'passed' : 'failed'} the gate`);
  ctx.log?.(`${version} ${result.passed ? 'passed' : 'FAILED'} validation on ${data.rows} holdout rows`);
  return result;
}

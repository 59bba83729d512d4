/**
 * The model operations, one import for the CLI and the server: each is `(ctx, params) => Promise<result>`.
 */
import * as path from 'node:path';
import type { Forest } from './forest';
import type { ModelVersion } from '../protocol';
import { loadModel } from './evaluate';
import { productionVersion, versionDir } from './registry';

export { train } from './train';
export { validate } from './validate';
export { createHoldout } from './holdout';
export { predictFile, type PredictParams, type PredictResult } from './predict';
export { deploy, rollback, listModels, productionVersion, getVersion, listVersions, newestCandidate } from './registry';
export { loadModel } from './evaluate';

/** The production model with its meta and the folder holding its files (profile.json, baseline.csv), if any. */
export function loadProductionModel(ws: string): { meta: ModelVersion; forest: Forest; dir: string } | undefined {
  const v = productionVersion(ws);
  if (!v) return undefined;
  return { ...loadModel(ws, v), dir: versionDir(ws, v) };
}

/** The production model's baseline profile file, if a model is in production. */
export function productionProfilePath(ws: string): string | undefined {
  const v = productionVersion(ws);
  return v ? path.join(versionDir(ws, v), 'profile.json') : undefined;
}

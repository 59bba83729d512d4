import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineContext } from '../engine';
import { FileTracker } from './fileStore';
import { RestTracker } from './restStore';
import type { Tracker } from './tracker';

/** The embedded store's folder: `<workspace>/mlruns`, the folder `mlflow ui` reads by default. */
export const MLRUNS_DIR = 'mlruns';

/**
 * Where runs are kept locally: `<ws>/mlruns`, or the folder a `file:` / plain-path tracking URI names.
 * With an http(s) URI the local copy still lives in `<ws>/mlruns`.
 */
export function trackingRoot(ctx: Pick<EngineContext, 'workspace' | 'config'>): string {
  const uri = ctx.config.tracking.uri?.trim();
  if (uri && uri.startsWith('file:')) return fileURLToPath(uri);
  if (uri && !/^[a-z][a-z0-9+.-]*:/i.test(uri)) return path.resolve(ctx.workspace, uri);
  return path.join(ctx.workspace, MLRUNS_DIR);
}

/** The tracker for this workspace: MLflow REST when the tracking URI is http(s), else the file store. */
export function getTracker(ctx: Pick<EngineContext, 'workspace' | 'config' | 'log'>): Tracker {
  const uri = ctx.config.tracking.uri?.trim();
  const log = ctx.log ?? (() => {});
  if (uri && /^https?:\/\//i.test(uri)) {
    // MLFLOW_TRACKING_TOKEN / USERNAME / PASSWORD go only to a server the user chose (see config.ts TrustState)
    return new RestTracker(uri, path.join(ctx.workspace, MLRUNS_DIR), log, ctx.config.tracking.credentialsWithheld ? { env: {} } : {});
  }
  if (uri && /^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('file:')) {
    log(`tracking URI ${uri} is not supported (use http(s)://, file: or a folder); runs go to ${path.join(ctx.workspace, MLRUNS_DIR)}`);
  }
  return new FileTracker(trackingRoot(ctx), log);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDrift } from '../pipeline/drift';
import { trainModel } from '../pipeline/training';
import { readCsvHeader, readTable } from '../data/csvReader';
import { getVersion, productionVersion, rollback, versionDir } from '../model/registry';
import { deploy } from '../model/deploy';
import { validate } from '../model/validate';
import { inputsOf, loadForModel, loadModel } from '../model/evaluate';
import { resolveInput } from '../util/paths';
import { BASELINE_FILE, versionBaseline } from '../versioning/baseline';
import { logPlanningRun, logReasoningRun } from '../tracking/pipelineRuns';
import { copyFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import type { AgentTools } from './tools';

/**
 * The agent's tools over the real engines: drift, model registry, baseline versioning, tracking.
 * Everything acts on `ctx.workspace`, which is how the digital twin points the same tools at its sandbox.
 */
export const realTools: AgentTools = {
  checkDrift: (ctx, p) => checkDrift(ctx, { current: p.current, where: p.where, label: p.label }),
  train: (ctx, p) => trainModel(ctx, p),
  validate: (ctx, p) => validate(ctx, p),
  deploy: (ctx, p) => deploy(ctx, p),
  rollback: (ctx) => rollback(ctx),

  /** The new model's combined training data becomes data/baseline.csv, versioned with DVC + git. */
  async versionBaseline(ctx, p) {
    const combined = path.join(versionDir(ctx.workspace, p.modelVersion), 'baseline.csv');
    if (!fs.existsSync(combined)) return { skipped: `${p.modelVersion} has no baseline.csv to version` };
    copyFileAtomic(combined, path.join(ctx.workspace, BASELINE_FILE));
    return versionBaseline(ctx, { file: BASELINE_FILE, modelVersion: p.modelVersion });
  },

  async production(ctx) {
    const v = productionVersion(ctx.workspace);
    return v ? getVersion(ctx.workspace, v) : undefined;
  },

  async predictProba(ctx, p) {
    const v = productionVersion(ctx.workspace);
    if (!v) throw new DriftCatcherError('nothing is in production', 'REGISTRY');
    const model = loadModel(ctx.workspace, v);
    const { meta, forest } = model;
    const file = resolveInput(ctx.workspace, p.file, 'data');
    const k = forest.nClasses;
    const header = await readCsvHeader(file, { signal: ctx.signal, maxColumns: ctx.config.csv.maxColumns });
    if (header.some((h) => h.trim() === meta.label.trim())) {
      // labelled (the holdout): clean rows with the true class of each
      const data = await loadForModel(ctx, model, file);
      return { matrix: { proba: forest.predictProba(data.X), k }, classes: meta.classes, labels: data.y };
    }
    const table = await readTable(file, { signal: ctx.signal, maxColumns: ctx.config.csv.maxColumns });
    const X = inputsOf(table, forest, v, file);
    return { matrix: { proba: forest.predictProba(X), k }, classes: meta.classes };
  },

  async trackReasoning(ctx, decision, extra) {
    await logReasoningRun(ctx, decision, extra);
  },
  async trackPlanning(ctx, plan) {
    await logPlanningRun(ctx, plan);
  },
};

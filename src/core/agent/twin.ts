import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_FILE, stateDir } from '../config';
import type { EngineContext } from '../engine';
import type { ClassificationMetrics, Plan, SimulateParams, SimulationResult, SimulationStep, TrainResult, ValidationResult } from '../protocol';
import { hashFile } from '../util/hash';
import { errorMessage } from '../util/errors';
import { pct } from '../util/format';
import { decide, planAndExecute } from './runAgent';
import { currentBatch, resolvedSource } from '../sources/currentBatch';
import { newId } from './planStore';
import type { AgentTools } from './tools';
import { realTools } from './realTools';
import { BASELINE_FILE } from '../versioning/baseline';
import { ensureOwnRepo, isGitRepo } from '../versioning/git';

/**
 * The digital twin: the whole loop (drift → reason → plan → retrain → validate → deploy → baseline) in autonomous
 * mode, inside a throw-away copy of the registry and the baseline data, so a person sees what the agent would do
 * and what a deploy would change before anything happens. Production files are hashed before and after; the
 * result says whether they stayed byte-identical (they must).
 */
export async function simulate(ctx: EngineContext, params: SimulateParams, tools: AgentTools = realTools): Promise<SimulationResult> {
  const simulationId = newId('sim');
  // files resolved here: the sandbox reads them where they are
  const current = resolvedSource(ctx.workspace, params.current);
  const production = await tools.production(ctx);
  // the baseline data and the holdout are production inputs too: guarded, and copied when inside the workspace
  const dataFiles = [
    ...(production?.lineage.map((l) => l.path) ?? []),
    ...(production?.validation ? [production.validation.holdout.path] : []),
    BASELINE_FILE,
    `${BASELINE_FILE}.dvc`,
  ];
  const guarded = guardedFiles(ctx.workspace, dataFiles);
  const before = await hashAll(guarded);

  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'driftcatcher-twin-'));
  const steps: SimulationStep[] = [];
  const emit = (step: SimulationStep): void => {
    steps.push(step);
    ctx.notify?.('driftcatcher/simulationStep', { simulationId, step });
  };
  try {
    copyInto(ctx.workspace, sandbox, guarded);
    // the sandbox versions the baseline as the workspace would: in git when the workspace is a git repository
    if (await isGitRepo(ctx.workspace)) await ensureOwnRepo(sandbox);
    const seen = new Set<string>();
    const sctx: EngineContext = {
      workspace: sandbox,
      // autonomous, and never logging to a remote tracking server from a simulation
      config: { ...ctx.config, agent: { ...ctx.config.agent, autonomy: 'autonomous' }, tracking: {} },
      signal: ctx.signal,
      // the sandbox stands for the workspace: messages name the workspace, not the temporary folder
      log: ctx.log ? (m) => ctx.log?.(`[twin] ${m.split(sandbox).join(ctx.workspace)}`) : undefined,
      progress: ctx.progress,
      // sandbox plans are not the user's plans: translate their step changes into simulation steps only
      notify: (method, payload) => {
        if (method !== 'driftcatcher/planChanged') return;
        const plan = payload as Plan;
        for (const s of plan.steps) {
          const key = `${s.id}:${s.status}:${s.attempts}`;
          if ((s.status === 'completed' || s.status === 'failed' || s.status === 'skipped') && !seen.has(key) && s.tool !== 'check_drift') {
            seen.add(key);
            const secs = s.started_at && s.finished_at ? (Date.parse(s.finished_at) - Date.parse(s.started_at)) / 1000 : 0;
            emit({ name: s.tool, status: s.status, seconds: secs, detail: s.error ?? summarize(s.result) });
          }
        }
      },
    };

    const t0 = performance.now();
    // a Parquet file's or table's rows are sampled into the sandbox, never into the workspace
    const batch = await currentBatch(sctx, current, params.where);
    const d = await decide(sctx, tools, batch);
    const decideSeconds = (performance.now() - t0) / 1000;
    emit({ name: 'check_drift', status: 'completed', seconds: d.report.seconds, detail: `severity ${d.report.overall.severity}, ${d.report.overall.n_drifted}/${d.report.overall.total_features} features drifted` });
    emit({ name: 'reason', status: 'completed', seconds: Math.max(0, decideSeconds - d.report.seconds), detail: `${d.decision.action} (${d.decision.source}, confidence ${d.decision.confidence})` });
    const t1 = performance.now();
    const plan = await planAndExecute(sctx, tools, d, { autonomy: 'autonomous', yes: true, batch });
    const planSeconds = (performance.now() - t1) / 1000;

    const trained = plan.steps.find((s) => s.tool === 'retrain_model')?.result as TrainResult | undefined;
    const validation = plan.steps.find((s) => s.tool === 'validate_model')?.result as ValidationResult | undefined;
    const candidateMetrics: ClassificationMetrics | undefined = validation?.candidate_metrics ?? trained?.metrics;
    const productionMetrics: ClassificationMetrics | undefined = validation?.production_metrics ?? production?.metrics;
    const after = await hashAll(guardedFiles(ctx.workspace, dataFiles));
    const unchanged = sameHashes(before, after);
    ctx.log?.(`simulation ${simulationId}: plan ${plan.status} in ${planSeconds.toFixed(2)} s; production ${unchanged ? 'unchanged' : 'CHANGED'}`);
    return {
      steps,
      decision: d.decision,
      plan,
      report: d.report,
      ...(candidateMetrics ? { candidate_metrics: candidateMetrics } : {}),
      ...(productionMetrics ? { production_metrics: productionMetrics } : {}),
      ...(validation ? { validation } : {}),
      // rows of the combined (cleaned) training data, the same measure as a training's `rows`: train + test split
      would_change: wouldChange(plan, production?.version, production && production.train_rows + production.metrics.rows, trained, validation, productionMetrics),
      production_unchanged: unchanged,
    };
  } catch (e) {
    emit({ name: 'simulation', status: 'failed', seconds: 0, detail: errorMessage(e) });
    throw e;
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

function summarize(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (typeof r.version === 'string' && typeof r.passed === 'boolean') return `${r.version} ${r.passed ? 'passed' : 'failed'} the gate`;
  if (typeof r.version === 'string') return `version ${r.version}`;
  if (typeof r.message === 'string') return r.message.split('\n')[0];
  return undefined;
}

export function wouldChange(
  plan: Plan,
  productionVersion: string | undefined,
  productionRows: number | undefined,
  trained: TrainResult | undefined,
  validation: ValidationResult | undefined,
  productionMetrics: ClassificationMetrics | undefined,
): string[] {
  const deploy = plan.steps.find((s) => s.tool === 'deploy_model');
  if (!deploy) return ['nothing: the decision is to keep monitoring'];
  if (validation && !validation.passed) {
    const failed = validation.checks.filter((c) => !c.passed).map((c) => c.name);
    return [`nothing: candidate ${validation.version} fails the validation gate (${failed.join(', ')})`];
  }
  if (deploy.status !== 'completed') return [`nothing: the plan stopped before deploying (${plan.error ?? plan.status})`];
  const out: string[] = [];
  const v = trained?.version ?? (deploy.result as { version?: string } | undefined)?.version ?? '?';
  out.push(`production would switch from ${productionVersion ?? 'no model'} to ${v}`);
  const cand = validation?.candidate_metrics ?? trained?.metrics;
  if (cand && productionMetrics) {
    for (const k of ['accuracy', 'f1', 'precision', 'recall'] as const) {
      const dp = (cand[k] - productionMetrics[k]) * 100;
      out.push(`${k} ${pct(productionMetrics[k], 2)} → ${pct(cand[k], 2)} (${dp >= 0 ? '+' : ''}${dp.toFixed(2)} points)`);
    }
  }
  if (trained) out.push(`training data ${productionRows ?? 0} → ${trained.rows} rows (the new baseline for drift checks)`);
  const baseline = plan.steps.find((s) => s.tool === 'version_baseline');
  if (baseline?.status === 'completed') out.push('a new baseline version would be recorded');
  return out;
}

/** Production state a simulation must not touch: the registry (minus transient locks) and the baseline data. */
function guardedFiles(ws: string, dataFiles: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'lock' || e.name.endsWith('.lock')) continue;
        walk(p);
      } else if (e.isFile()) files.push(p);
    }
  };
  walk(stateDir(ws));
  for (const l of dataFiles) {
    const abs = path.resolve(ws, l);
    if (fs.existsSync(abs)) files.push(abs);
  }
  const config = path.join(ws, CONFIG_FILE);
  if (fs.existsSync(config)) files.push(config);
  return [...new Set(files)];
}

async function hashAll(files: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of files) out.set(f, fs.existsSync(f) ? await hashFile(f) : 'missing');
  return out;
}

/** Same files with the same bytes: a file that appeared or vanished counts as a change. */
function sameHashes(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Copy the guarded files into the sandbox at the same workspace-relative paths (files outside stay where they are). */
function copyInto(ws: string, sandbox: string, files: string[]): void {
  for (const f of files) {
    const rel = path.relative(ws, f);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const dest = path.join(sandbox, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(f, dest);
  }
}

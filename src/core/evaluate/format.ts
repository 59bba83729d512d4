import { fmt } from '../util/format';
import type { EvaluationReport } from './evaluateStream';
import type { PolicySummary } from './summary';
import type { ReplayRun } from './replay';

/** The evaluation report as markdown (the CLI's default output and bench/results/evaluate.md). */

/**
 * The cost per retrain at which policy `a` and policy `b` have the same cost-adjusted score; null when they
 * retrain equally often. Above it, the policy that retrains less scores better.
 */
export function breakEvenCost(a: PolicySummary, b: PolicySummary): number | null {
  if (a.retrains === b.retrains) return null;
  return (a.mean_accuracy - b.mean_accuracy) / (a.retrains - b.retrains);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function formatEvaluation(r: EvaluationReport): string {
  const s = r.settings;
  const lines: string[] = [];
  lines.push(`# Decision quality: retraining policies replayed on ${r.stream.batches.length} batches`, '');
  lines.push(
    `Stream \`${cell(r.stream.dir)}\`: ${r.stream.batches.length} batches (batch 0 = \`${cell(r.stream.batches[0].file)}\`, the initial training data, ${r.initial_model.rows} rows), ` +
      `${r.stream.features} features, classes ${r.stream.classes.join(' / ')}. Prequential: each batch is scored by the deployed model before its labels are used; ` +
      `a retrain trains on the batches seen so far (${s.trees} trees, caps ${s.max_baseline_rows} / ${s.max_rows_per_new_file} rows), ` +
      `gates against the deployed model on the held-out rows (${Math.round(s.holdout_fraction * 100)} % of each batch) of the newest batches and deploys only when the gate passes. ` +
      `Agent: ${s.llm ? 'LLM with the rule policy as fallback' : 'rule policy (no LLM key configured)'}.`,
    '',
  );
  lines.push(`Cost-adjusted score = mean accuracy − ${s.cost_per_retrain} × retrains.`, '');
  lines.push(
    '| policy | mean accuracy | worst batch | retrains | deployed | training s | cost-adjusted | estimate MAE (points) | CBPE alone MAE (points) | realised inside the 95 % interval |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const best = Math.max(...r.summary.map((p) => p.cost_adjusted));
  for (const p of r.summary) {
    const score = p.cost_adjusted === best ? `**${fmt(p.cost_adjusted)}**` : fmt(p.cost_adjusted);
    const mae = p.estimate_mae_points === null ? '—' : p.estimate_mae_points.toFixed(2);
    const cov = p.estimate_coverage === null ? '—' : `${Math.round(p.estimate_coverage * 100)} %`;
    const cbpe = p.cbpe_mae_points === null || p.cbpe_mae_points === undefined ? '—' : p.cbpe_mae_points.toFixed(2);
    lines.push(`| ${cell(p.policy)} | ${fmt(p.mean_accuracy)} | ${fmt(p.min_accuracy)} | ${p.retrains} | ${p.deploys} | ${p.train_seconds.toFixed(1)} | ${score} | ${mae} | ${cbpe} | ${cov} |`);
  }
  const agent = r.summary.find((p) => p.policy === 'agent');
  const always = r.summary.find((p) => p.policy === 'always');
  const never = r.summary.find((p) => p.policy === 'never');
  lines.push('');
  if (agent && never) lines.push(`- agent vs never: ${signed((agent.mean_accuracy - never.mean_accuracy) * 100)} accuracy points.`);
  if (agent && always) {
    const be = breakEvenCost(always, agent);
    lines.push(
      `- agent vs always: ${signed((agent.mean_accuracy - always.mean_accuracy) * 100)} accuracy points with ${always.retrains - agent.retrains} fewer retrains` +
        (be === null ? '.' : `; the agent scores better for any cost per retrain above ${be <= 0 ? '0' : be.toFixed(4)}.`),
    );
  }
  lines.push('', '## Accuracy per batch', '');
  lines.push('`R` after a value: the policy retrained after that batch and the new model was deployed; `x`: retrained but the gate rejected it.', '');
  lines.push(`| batch | file | ${r.runs.map((x) => cell(x.policy)).join(' | ')} |`, `|---:|---|${r.runs.map(() => '---:').join('|')}|`);
  const n = Math.max(0, ...r.runs.map((x) => x.steps.length));
  for (let i = 0; i < n; i++) {
    const first = r.runs[0].steps[i];
    const vals = r.runs.map((x) => {
      const st = x.steps[i];
      return `${st.accuracy.toFixed(3)}${st.deployed ? ' R' : st.retrain ? ' x' : ''}`;
    });
    lines.push(`| ${first.batch} | ${cell(r.stream.batches[first.batch].file)} | ${vals.join(' | ')} |`);
  }
  const agentRun = r.runs.find((x) => x.policy === 'agent') ?? r.runs[r.runs.length - 1];
  if (agentRun?.steps.some((st) => st.estimated_accuracy !== null)) lines.push('', ...estimateTable(agentRun));
  lines.push('', `Node ${r.environment.node}, ${r.environment.cpus} CPUs, ${r.environment.platform}. Training seconds are wall time on shared cores.`);
  return lines.join('\n') + '\n';
}

/**
 * The label-free estimate per batch under one policy: the calibrated CBPE figure (calibrated on the deployed model's
 * newest held-out rows), the estimate after the bias correction learnt from the earlier batches that model scored and
 * whose labels arrived, its interval, and the realised accuracy the batch's labels showed afterwards.
 */
function estimateTable(run: ReplayRun): string[] {
  const pct = (x: number) => (x * 100).toFixed(1);
  const out = [
    `## The label-free estimate per batch (${cell(run.policy)})`,
    '',
    'CBPE: calibrated on the deployed model\'s held-out rows of its newest batch. Estimate: CBPE plus the bias learnt from the batches that model scored earlier and whose labels have arrived (none right after a deploy), so it is label-free only on a model\'s first batch. The correction applies only while its own one-step errors on that model\'s earlier labelled batches are no worse than CBPE alone\'s (`withheld` otherwise); it follows the residual\'s level, or its level and trend (`trend`) once the trend\'s record is better than both the level\'s and CBPE alone\'s. A new model whose predecessor had a trend in force starts one slope off (`carried trend`) until its own labels arrive.',
    '',
    '| batch | model from batch | CBPE % | bias correction (pt) | estimate % | 95 % interval | realised % | error (pt) |',
    '|---:|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const st of run.steps) {
    if (st.estimated_accuracy === null) continue;
    const cbpe = st.cbpe_accuracy ?? st.estimated_accuracy;
    const iv = st.estimate_interval;
    const inside = iv && st.accuracy >= iv[0] && st.accuracy <= iv[1];
    out.push(
      `| ${st.batch} | ${st.model_from_batch} | ${pct(cbpe)} | ${st.cbpe_accuracy !== undefined ? `${signed((st.estimated_accuracy - cbpe) * 100)}${st.bias_forecast ? ` ${st.bias_forecast}` : ''}` : st.bias_withheld ? 'withheld' : '—'} | ${pct(st.estimated_accuracy)} | ` +
        `${iv ? `${pct(iv[0])}–${pct(iv[1])}${inside ? '' : ' (missed)'}` : '—'} | ${pct(st.accuracy)} | ${signed((st.accuracy - st.estimated_accuracy) * 100)} |`,
    );
  }
  return out;
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

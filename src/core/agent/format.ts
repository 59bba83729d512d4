import type { Decision, Plan, SimulationResult } from '../protocol';
import type { ReplayResult } from './decisionLog';

/** Plain-text renderings of decisions, plans, simulations and replays for the CLI (and the demo). */

export function formatDecision(d: Decision): string[] {
  const how = d.source === 'llm' ? 'LLM' : `policy${d.fallback_reason ? ` — LLM not used: ${d.fallback_reason}` : ''}`;
  const lines = [`Decision ${d.id}: ${d.action} (confidence ${d.confidence.toFixed(2)}, ${how})`, `  why: ${d.rationale}`];
  for (const c of d.considerations) lines.push(`  · ${c}`);
  for (const r of d.risks) lines.push(`  ! ${r}`);
  return lines;
}

const MARK: Record<string, string> = { completed: '✓', failed: '✗', skipped: '–', pending: '·', running: '…', awaiting_approval: '?' };

export function formatPlan(p: Plan): string[] {
  const lines = [`Plan ${p.id} [${p.interrupted ? 'interrupted' : p.status}] (${p.autonomy}, urgency ${p.urgency}): ${p.goal}`];
  for (const s of p.steps) {
    const secs = s.started_at && s.finished_at ? ` ${((Date.parse(s.finished_at) - Date.parse(s.started_at)) / 1000).toFixed(1)} s` : '';
    const tries = s.attempts > 1 ? ` after ${s.attempts} attempts` : '';
    const detail = s.error ? `: ${s.error}` : resultSummary(s.result);
    lines.push(`  ${MARK[s.status] ?? ' '} ${s.id.padEnd(9)} ${s.tool.padEnd(17)} ${s.status}${secs}${tries}${detail}`);
  }
  if (p.error) lines.push(`  error: ${p.error}`);
  if (p.status === 'awaiting_approval') lines.push(`  approve: driftcatcher agent approve ${p.id}   reject: driftcatcher agent reject ${p.id}`);
  return lines;
}

function resultSummary(r: unknown): string {
  if (typeof r !== 'object' || r === null) return '';
  const o = r as Record<string, unknown>;
  if (typeof o.passed === 'boolean') return ` (${String(o.version)} ${o.passed ? 'passed' : 'failed'} the gate)`;
  if (typeof o.version === 'string') return ` (${o.version})`;
  if (typeof o.severity === 'string') return ` (drift ${o.severity})`;
  return '';
}

export function formatSimulation(s: SimulationResult): string[] {
  const lines = ['Digital twin (sandbox copy; production untouched):'];
  for (const st of s.steps) lines.push(`  ${MARK[st.status] ?? ' '} ${st.name.padEnd(17)} ${st.seconds.toFixed(2)} s${st.detail ? `  ${st.detail}` : ''}`);
  lines.push('', ...formatDecision(s.decision), '', 'A deploy would change:');
  for (const w of s.would_change) lines.push(`  - ${w}`);
  lines.push('', `production files byte-identical after the simulation: ${s.production_unchanged ? 'yes' : 'NO'}`);
  return lines;
}

export function formatReplay(r: ReplayResult): string[] {
  const lines = [
    `Decision ${r.id}: logged ${r.decision.action} (${r.decision.source}); policy then ${r.logged_policy.action} [${r.logged_policy.rules.join(',')}], policy now ${r.replayed_policy.action} [${r.replayed_policy.rules.join(',')}]`,
  ];
  if (r.differences.length === 0) lines.push('  no difference: the policy decides the same on the logged inputs');
  for (const d of r.differences) lines.push(`  ≠ ${d}`);
  return lines;
}

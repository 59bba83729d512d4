import { formatDecision } from '../../agent/format';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import type { DemoStep } from './steps';

/**
 * The agent's part of `driftcatcher demo`, after the model is deployed: a decision (with its reasons) for each demo
 * batch in suggest mode, so all three are judged against the same production model, then the digital twin on the
 * most drifted batch.
 */
export const agentDemoSteps: DemoStep[] = [
  {
    name: 'Ask the agent about each batch (suggest mode: decide and plan, change nothing)',
    async run(s) {
      const lines: string[] = [];
      for (const [name, file] of Object.entries(s.files?.batches ?? {})) {
        const r = await callOperation(s.ctx, Methods.runAgent, { current: file, autonomy: 'suggest' });
        lines.push(`${name}:`, ...formatDecision(r.decision).map((l) => `  ${l}`));
        lines.push(`  plan ${r.plan.id}: ${r.plan.steps.map((st) => st.tool).join(' → ')}`);
      }
      return lines;
    },
  },
  {
    name: 'Digital twin on the severe batch: the whole loop in a sandbox, production untouched',
    async run(s) {
      const severe = s.files?.batches.severe;
      if (!severe) return ['no severe batch in the demo data'];
      const sim = await callOperation(s.ctx, Methods.simulate, { current: severe });
      return [
        ...sim.steps.map((st) => `${st.status === 'completed' ? '✓' : '✗'} ${st.name.padEnd(17)} ${st.seconds.toFixed(2)} s${st.detail ? `  ${st.detail}` : ''}`),
        ...sim.would_change.map((w) => `would change: ${w}`),
        `production byte-identical afterwards: ${sim.production_unchanged ? 'yes' : 'NO'}`,
      ];
    },
  },
];

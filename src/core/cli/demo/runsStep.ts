import { EXPERIMENTS } from '../../tracking/pipelineRuns';
import { localMetricHistory, localRuns } from '../../tracking/queries';
import { trackingRoot } from '../../tracking/store';
import { rel, type DemoStep } from './steps';

/** `driftcatcher demo`: what the steps before it tracked, and the drift-over-time series the dashboard plots */
export const runsDemoStep: DemoStep = {
  name: 'Show the tracked runs (MLflow format, mlruns/ in the demo folder)',
  async run(s) {
    const root = trackingRoot(s.ctx);
    const runs = localRuns(s.ctx.workspace, undefined, root);
    const byExp = new Map<string, number>();
    for (const r of runs) byExp.set(r.experiment, (byExp.get(r.experiment) ?? 0) + 1);
    const psi = localMetricHistory(s.ctx.workspace, EXPERIMENTS.drift, 'overall_psi', root).map((p) => p.value.toFixed(3));
    return [
      ...[...byExp].map(([e, n]) => `${e}: ${n} run(s)`),
      ...(psi.length ? [`overall_psi over time: ${psi.join(' -> ')}`] : []),
      `open them: mlflow ui --backend-store-uri ${rel(s, root)}`,
    ];
  },
};

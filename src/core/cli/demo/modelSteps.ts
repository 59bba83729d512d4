import * as path from 'node:path';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { describeCheck } from '../../model/gate';
import { WEB_BRUTE_FORCE } from '../../data/demoData';
import type { DemoStep } from './steps';

/** CICIDS2017's own spelling, explained where the demo first shows it */
const WEB_BRUTE_FORCE_NOTE =
  `("${WEB_BRUTE_FORCE}" is CICIDS2017's label as published: its files store the dash as a byte that is not UTF-8, read as �; kept so real CICIDS files match)`;

/** The model part of `driftcatcher demo`: train v1 on the baseline, sample a holdout, validate, deploy. */
export const modelDemoSteps: DemoStep[] = [
  {
    name: 'Train a candidate random forest on the baseline',
    async run(s) {
      const r = await callOperation(s.ctx, Methods.train, { baseData: s.files!.baseline });
      s.version = r.version;
      const m = r.metrics;
      return [
        `${r.version}: ${r.rows} rows (${r.rows - r.metrics.rows} train + ${r.metrics.rows} test; ${r.dropped_rows} dropped as NaN/Infinity), ${r.train_seconds.toFixed(1)} s`,
        `accuracy ${m.accuracy.toFixed(4)}, precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, f1 ${m.f1.toFixed(4)}, roc_auc ${m.roc_auc?.toFixed(4) ?? '—'}`,
      ];
    },
  },
  {
    name: 'Build a holdout (the held-out rows of each file in holdout-pool/, recorded in the holdout ledger: never trained on) and validate the candidate',
    async run(s) {
      const pool = path.dirname(s.files!.holdoutPool[0]);
      const h = await callOperation(s.ctx, Methods.createHoldout, { dataDir: pool, output: path.join(s.dir, 'holdout.csv') });
      const v = await callOperation(s.ctx, Methods.validate, { version: s.version, holdout: h.output });
      const labels = Object.entries(h.labels).map(([l, n]) => `${l} ${n}`).join(', ');
      const note = WEB_BRUTE_FORCE in h.labels ? [WEB_BRUTE_FORCE_NOTE] : [];
      return [`${h.rows} rows (${labels})`, ...note, `gate ${v.passed ? 'PASSED' : 'FAILED'}:`, ...v.checks.map((c) => `  ${c.passed ? 'pass' : 'FAIL'}  ${describeCheck(c)}`)];
    },
  },
  {
    name: 'Deploy the validated model',
    async run(s) {
      const m = await callOperation(s.ctx, Methods.deploy, { version: s.version });
      return [`${m.version} is in production (.driftcatcher/production.json)`];
    },
  },
];

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContext } from '../../../src/core/agent/context';
import { evaluatePolicy } from '../../../src/core/agent/policy';
import { buildPrompt } from '../../../src/core/agent/reasoning';
import { realTools } from '../../../src/core/agent/realTools';
import { formatReport } from '../../../src/core/drift/formatReport';
import { setBaseline } from '../../../src/core/pipeline/drift';
import { FakeTools, makeCtx, tempWorkspace } from '../agent/fakes';

const WEATHER = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data/seattle-weather.csv');

/**
 * Multivariate drift reaches the agent: with `drift.multivariate` on, the agent's own drift check (realTools)
 * measures it, the decision context carries its summary and the prompt the reasoner sees holds it. Real data:
 * Seattle weather (vega-datasets), winter days as the baseline against summer days.
 */
describe('drift/multivariate in the agent', function () {
  this.timeout(300_000);

  it("the agent's drift check measures it when configured; the decision context and the prompt carry it", async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws); // a production model for the context; the drift baseline is chosen below
    const [header, ...body] = fs.readFileSync(WEATHER, 'utf8').trim().split('\n');
    const months = (ms: number[]) => [header, ...body.filter((l) => ms.includes(Number(l.slice(5, 7))))].join('\n') + '\n';
    fs.writeFileSync(path.join(ws, 'winter.csv'), months([12, 1, 2]));
    fs.writeFileSync(path.join(ws, 'summer.csv'), months([6, 7, 8]));

    const ctx = makeCtx(ws, { drift: { multivariate: true, multivariateRows: 400 }, training: { seed: 7 } });
    await setBaseline(ctx, { baseline: 'winter.csv' });
    const report = await realTools.checkDrift(ctx, { current: path.join(ws, 'summer.csv') });
    const m = report.multivariate;
    assert.ok(m, 'the report has a multivariate part');
    assert.ok(m.domain_classifier.auc > 0.9 && m.domain_classifier.drifted, `winter vs summer are told apart: AUC ${m.domain_classifier.auc}`);
    assert.ok(m.domain_classifier.top_features.some((f) => /temp/.test(f.name)), JSON.stringify(m.domain_classifier.top_features));

    // the CLI's table and markdown reports (and the dashboard, from the same sentences) state both methods' verdicts
    const text = formatReport(report, 'table');
    assert.match(text, new RegExp(`Multivariate drift:\\n  - domain classifier: AUC ${m.domain_classifier.auc.toFixed(3)} \\[[0-9.]+, [0-9.]+\\] over 5 folds, ${m.rows.baseline} \\+ ${m.rows.current} rows — DRIFTED; separated most by `));
    assert.match(formatReport(report, 'markdown'), /### Multivariate drift\n\n- domain classifier\\: AUC /);
    if (m.reconstruction) assert.match(text, new RegExp(`  - PCA reconstruction error: ${m.reconstruction.current_error.toFixed(3)} \\(baseline `));

    const c = await buildContext(ctx, new FakeTools(), { current: path.join(ws, 'summer.csv'), report });
    const mv = c.drift.multivariate;
    assert.ok(mv, 'the decision context carries the multivariate summary');
    assert.equal(mv.domain_auc, m.domain_classifier.auc);
    assert.deepEqual(mv.domain_auc_interval, [m.domain_classifier.auc_low, m.domain_classifier.auc_high]);
    assert.deepEqual(mv.top_separating_features, m.domain_classifier.top_features.map((f) => f.name));
    assert.equal(mv.reconstruction_error, m.reconstruction?.current_error ?? null);
    assert.equal(mv.drifted, m.drifted);

    const prompt = buildPrompt(c, evaluatePolicy(c)).map((p) => p.content).join('\n');
    assert.match(prompt, /"multivariate": \{/);
    assert.match(prompt, new RegExp(`"domain_auc": ${m.domain_classifier.auc}`));

    // off (the default): the agent's check skips it and the context has no multivariate part
    const off = makeCtx(ws);
    const plain = await realTools.checkDrift(off, { current: path.join(ws, 'summer.csv') });
    assert.equal(plain.multivariate, undefined);
    assert.equal((await buildContext(off, new FakeTools(), { current: path.join(ws, 'summer.csv'), report: plain })).drift.multivariate, undefined);
    fs.rmSync(ws, { recursive: true, force: true });
  });
});

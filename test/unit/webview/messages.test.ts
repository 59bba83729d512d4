import * as assert from 'node:assert';
import { isFromWebview, isToWebview } from '../../../src/webview/messages';

describe('webview message contract', () => {
  it('accepts every well-formed webview -> extension message', () => {
    for (const m of [{ type: 'ready' }, { type: 'refresh' }, { type: 'useProductionBaseline' }, { type: 'chooseBaseline' }, { type: 'runSimulation', csv: 'data/b.csv' }, { type: 'approvePlan', planId: 'p1', approve: false }]) {
      assert.ok(isFromWebview(m), JSON.stringify(m));
    }
  });

  it('rejects unknown types, missing or mistyped fields, and non-objects', () => {
    for (const m of [null, 'ready', [], { type: 'exec', cmd: 'rm' }, { type: 'runSimulation' }, { type: 'runSimulation', csv: '' }, { type: 'approvePlan', planId: 'p1', approve: 'yes' }, { type: 'selectFeature', feature: 'x' }]) {
      assert.ok(!isFromWebview(m), JSON.stringify(m));
    }
  });

  it('checks the envelope of extension -> webview messages', () => {
    const state = { baseline: { kind: 'production' }, baselineLabel: 'no baseline yet', models: [], driftHistory: [], decisions: [], plans: [] };
    assert.ok(isToWebview({ type: 'state', state }));
    assert.ok(!isToWebview({ type: 'state', state: { ...state, baseline: undefined } }));
    // the dashboard renders the store only: the old whole-data and report-overlay messages are gone
    assert.ok(!isToWebview({ type: 'data', data: state }));
    assert.ok(!isToWebview({ type: 'report', report: { features: [] } }));
    assert.ok(isToWebview({ type: 'csvFiles', files: ['a.csv'] }));
    assert.ok(isToWebview({ type: 'simulationStep', step: { name: 'check_drift', status: 'completed', seconds: 0.1 } }));
    assert.ok(!isToWebview({ type: 'state', state: { ...state, models: 'x' } }));
    assert.ok(!isToWebview({ type: 'csvFiles', files: [1] }));
    assert.ok(!isToWebview({ type: 'simulationDone', result: {} }));
    assert.ok(!isToWebview({ type: 'html', html: '<img src=x onerror=alert(1)>' }));
  });
});

// Runs inside the extension host of a real VS Code (code-server): DriftCatcher's language-model tools as Copilot's
// agent mode would call them (vscode.lm.invokeTool), and the editor's chat model as the reasoner where no chat
// model exists (the rule policy decides, and says why).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { Methods, type AgentResult } from '../../../src/core/protocol';
import type { DriftCatcherApi } from '../../../src/extension/extension';

const EXT_ID = 'driftcatcher.driftcatcher';
const TOOLS = ['driftcatcher_checkDrift', 'driftcatcher_explainDrift', 'driftcatcher_simulate', 'driftcatcher_listModels'];

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

suite('DriftCatcher language-model tools (vscode.lm)', function () {
  let api: DriftCatcherApi;

  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<DriftCatcherApi>(EXT_ID)!.activate();
    await api.ready();
    // a production model: the one the other suites left, or a first one (a later retrain on the same data would
    // rightly fail the champion/challenger gate)
    const models = await api.connection.request(Methods.listModels, {});
    if (!models.some((m) => m.status === 'production')) {
      const trained = await api.connection.request(Methods.train, { baseData: 'data/baseline.csv', holdout: 'data/holdout.csv' });
      await api.connection.request(Methods.deploy, { version: trained.version });
    }
  });

  test("the tools are in VS Code's tool list with the engine's input schemas", () => {
    const listed = new Map(vscode.lm.tools.map((t) => [t.name, t]));
    for (const name of TOOLS) assert.ok(listed.has(name), `${name} missing from vscode.lm.tools: ${[...listed.keys()].join(', ')}`);
    const check = listed.get('driftcatcher_checkDrift')!;
    assert.deepStrictEqual((check.inputSchema as { required?: string[] }).required, ['current']);
    assert.match(check.description, /PSI/);
  });

  test('check drift, explain drift, list models and simulate answer through the engine', async () => {
    const drift = await invoke('driftcatcher_checkDrift', { current: 'data/batches/day2-drifted.csv', baseline: 'data/baseline.csv' });
    assert.match(drift, /^Drift of .*day2-drifted\.csv/);
    assert.match(drift, /severity severe/);
    const explained = await invoke('driftcatcher_explainDrift', { top: 3 });
    assert.match(explained, /features drifted/);
    assert.match(explained, /PSI [\d.]+: above the severe threshold/);
    assert.match(explained, /Importance in the model:/, 'importances of the production model');
    const models = await invoke('driftcatcher_listModels', {});
    assert.match(models, /v\d+ \(production\)/);
    const twin = await invoke('driftcatcher_simulate', { current: 'data/batches/day2-drifted.csv' });
    // the decision itself depends on the registry's history (after retrains the gate refused, the policy backs off)
    assert.match(twin, /^Digital twin on .*day2-drifted\.csv: decision (MONITOR|RETRAIN|RETRAIN_URGENT) \((policy|LLM), confidence \d/);
    assert.match(twin, /^- check_drift: completed — severity severe/m);
    assert.match(twin, /Production untouched: yes\./);
  });

  test('a bad call is an error the model can read (a path outside the workspace)', async () => {
    await assert.rejects(invoke('driftcatcher_checkDrift', { current: '../../outside.csv' }), /DriftCatcher check_drift: .*outside the workspace/);
  });

  test("with llm.provider 'editor' and no chat model in this VS Code, the rule policy decides and says why", async () => {
    const cfg = vscode.workspace.getConfiguration('driftcatcher');
    await cfg.update('llm.provider', 'editor', vscode.ConfigurationTarget.Workspace);
    // the fixture's 300 ms LLM timeout is shorter than a round trip to the editor on a busy machine
    await cfg.update('llm.timeoutMs', 20_000, vscode.ConfigurationTarget.Workspace);
    try {
      // the settings reach the server before the request (the change event may come later than update() resolves;
      // the server applies didChangeConfiguration as it reads it, in order with the request that follows)
      await api.connection.pushSettings();
      const result: AgentResult = await api.connection.request(Methods.runAgent, { current: 'data/batches/day2-drifted.csv', autonomy: 'suggest' });
      assert.strictEqual(result.decision.source, 'policy');
      assert.match(result.decision.fallback_reason ?? '', /editor's chat model failed: no chat model is available in this VS Code/);
    } finally {
      await cfg.update('llm.provider', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg.update('llm.timeoutMs', undefined, vscode.ConfigurationTarget.Workspace);
      await api.connection.pushSettings();
    }
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, RpcResponseError } from './lspClient';
import { serverPerTest, tempWorkspace, writeFlows } from './fixtures';

/**
 * Workspace trust over the protocol: a client that says the folder is untrusted gets read-only drift — checks
 * answer, nothing is written or sent; training, deploying and the agent are refused with code UNTRUSTED until the
 * client says the folder is trusted.
 */
describe('engine server in an untrusted workspace', function () {
  this.timeout(120_000);
  let c: LspClient;

  serverPerTest(() => c);

  it('reads only: drift answers, train/agent are refused, no run or state file is written; trusting unlocks it', async () => {
    c = new LspClient();
    const ws = tempWorkspace();
    writeFlows(path.join(ws, 'base.csv'), 600, { seed: 1 });
    writeFlows(path.join(ws, 'drifted.csv'), 300, { seed: 2, shift: 1 });
    await c.initialize(ws, { initializationOptions: { trust: { workspace: false } } });
    const report = await c.request<{ overall: { severity: string } }>('driftcatcher/checkDrift', { baseline: 'base.csv', current: 'drifted.csv' });
    assert.equal(report.overall.severity, 'severe');
    for (const [method, params] of [
      ['driftcatcher/train', { baseData: 'base.csv' }],
      ['driftcatcher/runAgent', { current: 'drifted.csv' }],
      ['driftcatcher/profileBaseline', { baseline: 'base.csv' }],
    ] as const) {
      try {
        await c.request(method, params);
        assert.fail(`${method} ran in an untrusted workspace`);
      } catch (e) {
        assert.ok(e instanceof RpcResponseError, String(e));
        assert.equal(e.error.data?.code, 'UNTRUSTED');
        assert.match(e.error.message, /not available in an untrusted workspace/);
      }
    }
    assert.equal(fs.existsSync(path.join(ws, 'mlruns')), false, 'no tracked run');
    assert.equal(fs.existsSync(path.join(ws, '.driftcatcher')), false, 'no state written');
    // the user trusts the folder: the same session may train
    c.notify('workspace/didChangeConfiguration', { settings: { config: {}, trust: { workspace: true } } });
    const trained = await c.request<{ version: string }>('driftcatcher/train', { baseData: 'base.csv' });
    assert.equal(trained.version, 'v1');
  });
});

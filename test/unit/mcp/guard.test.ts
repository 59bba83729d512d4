import * as assert from 'node:assert/strict';
import { checkGuard } from '../../../src/core/mcp/guard';
import { agentTool, agentTools, capAutonomy, toolAnnotations, toolInputSchema } from '../../../src/core/mcp/tools';
import { operations } from '../../../src/core/operations';
import type { Autonomy } from '../../../src/core/protocol';

const tool = (name: string) => agentTool(name)!;

async function outcome(name: string, autonomy: Autonomy, confirm?: boolean): Promise<string> {
  const asked: string[] = [];
  const confirmer = confirm === undefined ? undefined : async (q: string) => (asked.push(q), confirm);
  try {
    await checkGuard(tool(name), { version: 'v2', planId: 'p1' }, autonomy, confirmer);
    return asked.length ? `ran after asking: ${asked[0]}` : 'ran';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('mcp/guard: the autonomy guard rail for agent tools', () => {
  it('an agent may ask for less autonomy than configured, never more', () => {
    assert.equal(capAutonomy('autonomous', 'approve'), 'approve');
    assert.equal(capAutonomy('suggest', 'autonomous'), 'suggest');
    assert.equal(capAutonomy(undefined, 'approve'), 'approve');
    assert.deepEqual(tool('decide').toParams!({ current: 'x.csv', autonomy: 'autonomous', yes: true }, 'suggest'), { current: 'x.csv', autonomy: 'suggest' });
  });

  it('read tools run under every autonomy; registry tools need approve; production tools need autonomous or a confirmed person', async () => {
    for (const a of ['suggest', 'approve', 'autonomous'] as const) assert.equal(await outcome('check_drift', a), 'ran');
    assert.match(await outcome('train_model', 'suggest', true), /^refused: agent\.autonomy is 'suggest'/);
    assert.equal(await outcome('train_model', 'approve'), 'ran');
    assert.match(await outcome('deploy_model', 'suggest', true), /^refused: agent\.autonomy is 'suggest'/);
    assert.match(await outcome('deploy_model', 'approve'), /cannot ask for confirmation; approve it in VS Code/);
    assert.equal(await outcome('deploy_model', 'approve', true), 'ran after asking: Deploy model v2 to production?');
    assert.match(await outcome('deploy_model', 'approve', false), /^not run: the person declined/);
    assert.equal(await outcome('deploy_model', 'autonomous'), 'ran');
    assert.equal(await outcome('approve_plan', 'approve', true), 'ran after asking: Approve plan p1? Its deploy step will put the validated candidate into production.');
    assert.equal(await outcome('reject_plan', 'approve'), 'ran');
  });

  it('annotations follow the guard; every tool names a registry operation and publishes an object schema', () => {
    for (const t of agentTools) {
      assert.ok(operations[t.method], t.name);
      const a = toolAnnotations(t);
      assert.equal(a.readOnlyHint, t.guard === 'read', t.name);
      assert.equal(a.destructiveHint, t.guard === 'production', t.name);
      // production tools are exactly the operations the registry calls destructive and that move production
      if (t.guard === 'production') assert.equal(operations[t.method].destructive, true, t.name);
      const s = toolInputSchema(t);
      assert.equal(s.type, 'object');
      assert.ok(!('$schema' in s));
    }
  });
});

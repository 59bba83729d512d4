import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ElicitRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REPO_ROOT } from '../server/lspClient';
import { TEST_CONFIG, tempWorkspace, versionsOnDisk, writeFlows } from '../server/fixtures';

/**
 * `driftcatcher mcp` driven by the official MCP SDK client over stdio, as Claude Desktop, VS Code or Cursor would:
 * tool list and schemas, every tool on a workspace with labelled flows, check_drift equal to the CLI's JSON, the
 * autonomy guard rail (refusals, confirmation through elicitation), resources, progress, cancellation, bad input,
 * a client that disconnects mid-call, and a registry lock held by another process.
 */

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
type Autonomy = 'suggest' | 'approve' | 'autonomous';

function setAutonomy(ws: string, autonomy: Autonomy): void {
  fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ ...TEST_CONFIG, agent: { autonomy } }, null, 2));
}

function flowsWorkspace(autonomy: Autonomy): string {
  const ws = tempWorkspace('dc-mcp-');
  writeFlows(path.join(ws, 'data', 'base.csv'), 3000, { seed: 1 });
  writeFlows(path.join(ws, 'data', 'holdout.csv'), 800, { seed: 2 });
  writeFlows(path.join(ws, 'data', 'drifted.csv'), 800, { seed: 3, shift: 1, swapLabels: true });
  setAutonomy(ws, autonomy);
  return ws;
}

/** a client; `answer` makes it declare elicitation and answer every confirmation question that way */
async function connect(ws: string, answer?: 'yes' | 'no'): Promise<{ client: Client; questions: string[]; transport: StdioClientTransport }> {
  const questions: string[] = [];
  const client = new Client({ name: 'driftcatcher-test', version: '1.0.0' }, { capabilities: answer ? { elicitation: { form: {} } } : {} });
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      questions.push(req.params.message);
      return answer === 'yes' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  }
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--workspace', ws], stderr: 'pipe' });
  await client.connect(transport);
  return { client, questions, transport };
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 180_000 })) as CallToolResult;
}

function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

function ok(r: CallToolResult): Record<string, unknown> {
  assert.ok(!r.isError, `tool failed: ${text(r)}`);
  assert.ok(r.structuredContent, 'structured content');
  assert.deepEqual(JSON.parse(text(r)), r.structuredContent, 'the text content is the same JSON');
  return r.structuredContent as Record<string, unknown>;
}

function production(ws: string): string | undefined {
  const file = path.join(ws, '.driftcatcher', 'production.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

describe('MCP server (driftcatcher mcp) with the official SDK client', function () {
  this.timeout(300_000);
  const open: Client[] = [];

  before(function () {
    this.timeout(180_000);
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  async function client(ws: string, answer?: 'yes' | 'no') {
    const c = await connect(ws, answer);
    open.push(c.client);
    return c;
  }

  it('lists every tool with a JSON schema and honest annotations', async () => {
    const { client: c } = await client(flowsWorkspace('suggest'));
    const { tools } = await c.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(
      [...byName.keys()].sort(),
      ['approve_plan', 'check_drift', 'decide', 'deploy_model', 'explain_drift', 'list_models', 'profile_baseline', 'reject_plan', 'rollback_model', 'simulate', 'train_model', 'validate_model'],
    );
    const check = byName.get('check_drift')!;
    assert.equal(check.inputSchema.type, 'object');
    assert.deepEqual(check.inputSchema.required, ['current']);
    assert.ok((check.inputSchema.properties as Record<string, unknown>).baseline);
    for (const name of ['check_drift', 'explain_drift', 'list_models', 'simulate', 'decide', 'profile_baseline']) {
      assert.equal(byName.get(name)!.annotations?.readOnlyHint, true, `${name} is read-only`);
      assert.equal(byName.get(name)!.annotations?.destructiveHint, false, `${name} is not destructive`);
    }
    for (const name of ['deploy_model', 'rollback_model', 'approve_plan']) {
      assert.equal(byName.get(name)!.annotations?.destructiveHint, true, `${name} is destructive`);
      assert.match(byName.get(name)!.description ?? '', /autonomy/);
    }
    // decide never exposes the CLI's --yes: an agent cannot approve a deploy up front
    assert.ok(!('yes' in (byName.get('decide')!.inputSchema.properties as object)));
  });

  it("check_drift answers exactly the CLI's `drift --format json`; explain_drift says what moved", async () => {
    const ws = flowsWorkspace('suggest');
    const { client: c } = await client(ws);
    const report = ok(await call(c, 'check_drift', { baseline: 'data/base.csv', current: 'data/drifted.csv' }));
    const cli = JSON.parse(execFileSync(process.execPath, [CLI, 'drift', 'data/base.csv', 'data/drifted.csv', '--format', 'json'], { cwd: ws, encoding: 'utf8' }));
    assert.deepEqual(report, cli);
    assert.equal((report.overall as { severity: string }).severity, 'severe');

    const explained = ok(await call(c, 'explain_drift', { top: 2 })) as { features: { name: string; summary: string; details: string[]; shifts: unknown[] }[]; more_features: number; overall: string };
    assert.equal(explained.features.length, 2);
    const driftedNames = (cli.features as { name: string; drifted: boolean }[]).filter((f) => f.drifted).map((f) => f.name);
    for (const f of explained.features) {
      assert.ok(driftedNames.includes(f.name), `${f.name} is one of the drifted features`);
      assert.match(f.summary, /PSI/);
      assert.ok(f.details.some((d) => /Kolmogorov|χ²/.test(d)));
      assert.ok(f.shifts.length > 0, 'the bins that moved are named');
    }
    assert.equal(explained.more_features, cli.features.length - 2);
    assert.match(explained.overall, /features drifted/);
  });

  it("under autonomy 'suggest' every tool that would change the registry or production is refused, and nothing changes", async () => {
    const ws = flowsWorkspace('suggest');
    const { client: c } = await client(ws, 'yes');
    for (const [name, args] of [
      ['train_model', { baseData: 'data/base.csv' }],
      ['validate_model', { holdout: 'data/holdout.csv' }],
      ['deploy_model', {}],
      ['rollback_model', {}],
      ['approve_plan', { planId: 'plan-x' }],
      ['reject_plan', { planId: 'plan-x' }],
    ] as const) {
      const r = await call(c, name, args);
      assert.equal(r.isError, true, name);
      assert.match(text(r), new RegExp(`^${name}: refused: agent\\.autonomy is 'suggest'`), name);
    }
    assert.deepEqual(versionsOnDisk(ws), []);
    // with a model in production (set up under 'autonomous'), decide still only recommends under 'suggest'
    setAutonomy(ws, 'autonomous');
    ok(await call(c, 'train_model', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' }));
    ok(await call(c, 'deploy_model', {}));
    setAutonomy(ws, 'suggest');
    const decided = ok(await call(c, 'decide', { current: 'data/drifted.csv', autonomy: 'autonomous' })) as { decision: { action: string }; plan: { autonomy: string; status: string } };
    assert.notEqual(decided.decision.action, 'MONITOR');
    assert.equal(decided.plan.autonomy, 'suggest', 'an agent cannot raise the autonomy');
    assert.deepEqual(versionsOnDisk(ws), ['v1'], 'nothing was retrained');
    assert.equal(production(ws), 'v1');
  });

  it("under 'approve' an agent trains and validates, but production changes only after the person confirms", async () => {
    const ws = flowsWorkspace('approve');
    const silent = await client(ws); // a client that cannot ask its user
    const trained = ok(await call(silent.client, 'train_model', { baseData: 'data/base.csv' })) as { version: string };
    assert.equal(trained.version, 'v1');
    const validated = ok(await call(silent.client, 'validate_model', { holdout: 'data/holdout.csv' })) as { passed: boolean };
    assert.equal(validated.passed, true);
    const refused = await call(silent.client, 'deploy_model', {});
    assert.equal(refused.isError, true);
    assert.match(text(refused), /a person must approve production changes, and this client cannot ask for confirmation/);
    assert.equal(production(ws), undefined);

    const declining = await client(ws, 'no');
    const declined = await call(declining.client, 'deploy_model', { version: 'v1' });
    assert.equal(declined.isError, true);
    assert.match(text(declined), /the person declined/);
    assert.deepEqual(declining.questions, ['Deploy model v1 to production?']);
    assert.equal(production(ws), undefined);

    const agreeing = await client(ws, 'yes');
    const deployed = ok(await call(agreeing.client, 'deploy_model', { version: 'v1' })) as { version: string; status: string };
    assert.equal(deployed.status, 'production');
    assert.equal(production(ws), 'v1');
    const models = ok(await call(agreeing.client, 'list_models')) as { models: { version: string; status: string }[] };
    assert.deepEqual(models.models.map((m) => [m.version, m.status]), [['v1', 'production']]);
  });

  it('the validation gate holds whatever the autonomy: an unvalidated version is never deployed', async () => {
    const ws = flowsWorkspace('autonomous');
    const { client: c } = await client(ws);
    ok(await call(c, 'train_model', { baseData: 'data/base.csv' }));
    const r = await call(c, 'deploy_model', { version: 'v1' });
    assert.equal(r.isError, true);
    assert.match(text(r), /validat/i);
    assert.equal(production(ws), undefined);
  });

  it('a tool called while another process holds the registry lock waits for it; read-only tools answer meanwhile', async () => {
    const ws = flowsWorkspace('autonomous');
    const { client: c } = await client(ws);
    ok(await call(c, 'train_model', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' }));
    // another live process (this one) holds the registry's lock, as the CLI does during a deploy
    const lock = path.join(ws, '.driftcatcher', 'lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), `${process.pid}\n`);
    let settled = false;
    const deploying = call(c, 'deploy_model', { version: 'v1' }).finally(() => (settled = true));
    const models = ok(await call(c, 'list_models')) as { models: { version: string; status: string }[] };
    assert.deepEqual(models.models.map((m) => m.version), ['v1'], 'read-only tools are not blocked by the lock');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(settled, false, 'the deploy waits while the lock is held');
    assert.equal(production(ws), undefined, 'nothing changed under the lock');
    fs.rmSync(lock, { recursive: true });
    const deployed = ok(await deploying) as { version: string; status: string };
    assert.deepEqual([deployed.version, deployed.status], ['v1', 'production']);
    assert.equal(production(ws), 'v1');
  });

  it('decide → a plan awaiting approval → approve_plan (confirmed) deploys; reject_plan closes another; resources show it all', async () => {
    const ws = flowsWorkspace('autonomous');
    const setup = await client(ws);
    ok(await call(setup.client, 'train_model', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' }));
    ok(await call(setup.client, 'deploy_model', {}));
    setAutonomy(ws, 'approve');

    const { client: c, questions } = await client(ws, 'yes');
    const first = ok(await call(c, 'decide', { current: 'data/drifted.csv' })) as { decision: { action: string }; plan: { id: string; status: string } };
    assert.notEqual(first.decision.action, 'MONITOR');
    assert.equal(first.plan.status, 'awaiting_approval');
    const rejected = ok(await call(c, 'reject_plan', { planId: first.plan.id })) as { status: string };
    assert.equal(rejected.status, 'rejected');
    assert.deepEqual(questions, [], 'rejecting deploys nothing, so nobody is asked');
    assert.equal(production(ws), 'v1');

    const decided = ok(await call(c, 'decide', { current: 'data/drifted.csv' })) as { plan: { id: string; status: string } };
    assert.equal(decided.plan.status, 'awaiting_approval');
    const approved = ok(await call(c, 'approve_plan', { planId: decided.plan.id })) as { status: string };
    assert.equal(approved.status, 'completed');
    assert.match(questions[0], new RegExp(`^Approve plan ${decided.plan.id}\\?`));
    assert.equal(production(ws), 'v3');

    const { resources } = await c.listResources();
    assert.deepEqual(resources.map((r) => r.uri).sort(), ['driftcatcher://decisions', 'driftcatcher://models', 'driftcatcher://reports/latest']);
    const read = async (uri: string) => JSON.parse(((await c.readResource({ uri })).contents[0] as { text: string }).text);
    assert.equal((await read('driftcatcher://reports/latest')).overall.severity, 'severe');
    assert.ok((await read('driftcatcher://decisions')).plans.some((p: { id: string }) => p.id === decided.plan.id));
    const registry = (await read('driftcatcher://models')).models as { version: string; status: string }[];
    assert.deepEqual(registry.map((m) => [m.version, m.status]), [['v1', 'archived'], ['v2', 'candidate'], ['v3', 'production']]);
    await assert.rejects(c.readResource({ uri: 'driftcatcher://nope' }), /unknown resource/);

    // rollback under approve needs the person too (this client says yes)
    const back = ok(await call(c, 'rollback_model')) as { version: string };
    assert.equal(back.version, 'v1');
    assert.equal(production(ws), 'v1');
  });

  it('simulate runs the loop in a sandbox; profile_baseline writes a profile; production untouched', async () => {
    const ws = flowsWorkspace('autonomous');
    const { client: c } = await client(ws);
    ok(await call(c, 'train_model', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' }));
    ok(await call(c, 'deploy_model', {}));
    setAutonomy(ws, 'suggest'); // the twin is read-only: it runs under any autonomy
    const sim = ok(await call(c, 'simulate', { current: 'data/drifted.csv' })) as { production_unchanged: boolean };
    assert.equal(sim.production_unchanged, true);
    assert.equal(production(ws), 'v1');
    assert.deepEqual(versionsOnDisk(ws), ['v1']);
    const prof = ok(await call(c, 'profile_baseline', { baseline: 'data/base.csv', output: 'profile.json' })) as { rows: number; features: number };
    assert.equal(prof.rows, 3000);
    assert.ok(fs.existsSync(path.join(ws, 'profile.json')));
    const explained = ok(await call(c, 'explain_drift', { current: 'data/drifted.csv' })) as { importance_source?: string; features: { importance?: number }[] };
    assert.equal(explained.importance_source, 'production model v1');
    assert.ok(explained.features.every((f) => typeof f.importance === 'number'));
  });

  it('bad input: unknown tool and wrong argument types are MCP errors; a path outside the workspace is refused', async () => {
    const ws = flowsWorkspace('autonomous');
    const { client: c } = await client(ws);
    await assert.rejects(call(c, 'drop_tables'), (e: unknown) => e instanceof McpError && /unknown tool 'drop_tables'/.test(e.message));
    await assert.rejects(call(c, 'check_drift', { current: 42 }), (e: unknown) => e instanceof McpError && /current/.test(e.message));
    await assert.rejects(call(c, 'train_model', { baseData: 'data/base.csv', trees: -1 }), (e: unknown) => e instanceof McpError && /trees/.test(e.message));
    const outside = await call(c, 'check_drift', { current: '../../etc/passwd', baseline: 'data/base.csv' });
    assert.equal(outside.isError, true);
    assert.match(text(outside), /outside the workspace/);
    const missing = await call(c, 'check_drift', { current: 'data/nope.csv', baseline: 'data/base.csv' });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /nope\.csv/);
  });

  it('long tools report progress; a cancelled training leaves no version behind', async () => {
    const ws = flowsWorkspace('autonomous');
    writeFlows(path.join(ws, 'data', 'big.csv'), 40_000, { seed: 9 });
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ ...TEST_CONFIG, training: { trees: 400 }, agent: { autonomy: 'autonomous' } }));
    const { client: c } = await client(ws);
    const seen: string[] = [];
    const controller = new AbortController();
    const pending = c.callTool({ name: 'train_model', arguments: { baseData: 'data/big.csv' } }, CallToolResultSchema, {
      signal: controller.signal,
      timeout: 180_000,
      onprogress: (p) => {
        seen.push(p.message ?? '');
        if (/tree/i.test(p.message ?? '')) controller.abort('enough');
      },
    });
    await assert.rejects(pending);
    assert.ok(seen.length > 0, 'progress notifications arrived');
    // the server finishes the cancellation on its side: no version, no staging folder
    const models = path.join(ws, '.driftcatcher', 'models');
    const left = () => (fs.existsSync(models) ? fs.readdirSync(models) : []);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && left().length > 0) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(left(), []);
    // and the server still answers
    ok(await call(c, 'list_models'));
  });

  it('a client that disconnects mid-call: the server stops the work and exits, leaving no partial state', async () => {
    const ws = flowsWorkspace('autonomous');
    writeFlows(path.join(ws, 'data', 'big.csv'), 40_000, { seed: 9 });
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ ...TEST_CONFIG, training: { trees: 400 }, agent: { autonomy: 'autonomous' } }));
    const { client: c, transport } = await connect(ws);
    const pid = transport.pid!;
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    void c.callTool({ name: 'train_model', arguments: { baseData: 'data/big.csv' } }, CallToolResultSchema, { timeout: 180_000, onprogress: () => progressed() }).catch(() => undefined);
    await started;
    await c.close(); // closes the server's stdin
    const deadline = Date.now() + 30_000;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, 'the server process exited');
    assert.deepEqual(versionsOnDisk(ws), []);
    const models = path.join(ws, '.driftcatcher', 'models');
    assert.deepEqual(fs.existsSync(models) ? fs.readdirSync(models) : [], [], 'no staging folder left');
  });
});

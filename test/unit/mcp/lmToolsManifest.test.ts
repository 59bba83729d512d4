import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentTool, toolDescription, toolInputSchema } from '../../../src/core/mcp/tools';

/**
 * package.json contributes VS Code language-model tools whose descriptions and input schemas must be the engine's
 * own (the MCP tools'), so Copilot and an MCP client see one contract. package.json is static, so this test holds
 * the two together: a change of the engine's schemas fails here, and `UPDATE_MANIFEST=1 npm run test:unit` writes
 * the new schemas into package.json.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const PKG = path.join(ROOT, 'package.json');

interface LmTool {
  name: string;
  modelDescription: string;
  inputSchema: unknown;
}

/** driftcatcher_checkDrift → check_drift */
const agentName = (lmName: string) => lmName.replace(/^driftcatcher_/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('VS Code language-model tools in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(PKG, 'utf8')) as { contributes: { languageModelTools: LmTool[] }; activationEvents: string[] };
  const tools = pkg.contributes.languageModelTools;

  it('are the read-only tools: check drift, explain drift, simulate, list models', () => {
    assert.deepEqual(tools.map((t) => agentName(t.name)), ['check_drift', 'explain_drift', 'simulate', 'list_models']);
    for (const t of tools) assert.equal(agentTool(agentName(t.name))?.guard, 'read', t.name);
  });

  it("publish the engine's descriptions and input schemas", () => {
    let changed = false;
    for (const t of tools) {
      const agent = agentTool(agentName(t.name))!;
      const expected = { modelDescription: toolDescription(agent), inputSchema: toolInputSchema(agent) };
      if (process.env.UPDATE_MANIFEST) {
        Object.assign(t, expected);
        changed = true;
        continue;
      }
      assert.deepEqual({ modelDescription: t.modelDescription, inputSchema: t.inputSchema }, expected, `${t.name} differs from the engine's schema: run UPDATE_MANIFEST=1 npm run test:unit`);
    }
    if (changed) fs.writeFileSync(PKG, JSON.stringify(pkg, null, 2) + '\n');
  });
});

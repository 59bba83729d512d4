// Extension-test entry point (the extensionTestsPath contract shared by code-server's URL payload and
// @vscode/test-electron): the extension host require()s this file and awaits run().
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import { results } from './results';

export function run(): Promise<void> {
  const outDir = process.env.DRIFTCATCHER_E2E_OUT || path.join(os.tmpdir(), 'driftcatcher-e2e');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000 });
  // extension.test.js first: its tests walk the fixture workspace from an empty registry
  for (const f of ['extension.test.js', 'lmTools.test.js']) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'ext-host-results.json'), JSON.stringify({ ...results, failuresCount: failures }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.passes.push(t.fullTitle()));
    runner.on('fail', (t, err: unknown) => results.failures.push({ title: t.fullTitle(), error: String((err as Error)?.message ?? err) }));
  });
}

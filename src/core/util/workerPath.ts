import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Worker scripts live next to the running code: `dist/<name>.js` in the bundles, and
 * `out/src/core/<rel>.js` when the tests run the tsc output. `relFromCore` is e.g. 'model/forestWorker'.
 */
export function workerScript(relFromCore: string): string {
  const base = path.basename(relFromCore);
  const candidates = [
    path.join(__dirname, `${base}.js`), // bundled: dist/forestWorker.js beside dist/cli.js
    path.join(__dirname, '..', `${relFromCore}.js`), // tsc: out/src/core/util/.. -> out/src/core/<rel>.js
    path.join(__dirname, `${relFromCore}.js`),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`worker script ${relFromCore} not found next to ${__dirname}`);
}

// @vscode/test-cli configuration (`npm run test:electron`): runs the same extension-host suite as the
// code-server e2e (test/e2e/suite) in a downloaded VS Code desktop build. Needs network access to
// update.code.visualstudio.com and a display (xvfb-run on Linux CI); see README "Testing".
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extension-host',
  files: 'out/test/e2e/suite/extension.test.js',
  version: '1.100.3',
  workspaceFolder: 'test/e2e/.work/ws-electron',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  env: { DRIFTCATCHER_E2E_OUT: 'test/e2e/.work/out-electron' },
  mocha: { ui: 'tdd', timeout: 120_000, color: true },
});

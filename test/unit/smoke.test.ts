import { strict as assert } from 'node:assert';
import { runCli } from '../../src/core/cli/main';

describe('cli', () => {
  it('prints usage and rejects unknown commands with exit 2', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) };
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(out, /usage: driftcatcher/);
    assert.equal(await runCli(['nope'], io), 2);
    assert.match(err, /^error: unknown command 'nope'/);
  });
});

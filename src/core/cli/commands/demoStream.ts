import type { CliCommand } from '../command';
import { writeDemoStream } from '../../data/demoData';
import { DriftCatcherError } from '../../util/errors';
import { numberFlag } from '../flags';
import { cliPath, shownPath } from '../paths';

/** `driftcatcher demo-stream DIR`: the deterministic CICIDS-like batch stream that `evaluate` replays. */
export const demoStreamCommand: CliCommand = {
  name: 'demo-stream',
  usage: 'demo-stream DIR [--batches N] [--rows N] [--seed N]',
  summary: 'Write a deterministic CICIDS-like stream of labelled batches with gradual and sudden drift (for evaluate)',
  options: { batches: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' } },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('usage: driftcatcher demo-stream DIR', 'BAD_INPUT');
    const int = (name: string, min: number) => numberFlag(cli, name, (n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);
    const dir = cliPath(cli, cli.args[0]);
    const s = await writeDemoStream(dir, { batches: int('batches', 2), rows: int('rows', 10), seed: int('seed', 0) });
    for (const b of s.schedule) cli.stdout(`${shownPath(cli, b.file)}  drift ${b.drift}  concept ${b.concept}\n`);
    cli.stdout(`\nNext: driftcatcher evaluate ${shownPath(cli, dir)}\n`);
    return 0;
  },
};

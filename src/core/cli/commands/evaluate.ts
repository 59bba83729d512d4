import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { writeFileAtomic } from '../../util/atomicWrite';
import { evaluateStream, parsePolicies } from '../../evaluate/evaluateStream';
import { formatEvaluation } from '../../evaluate/format';
import { accuracySvg } from '../../evaluate/plot';
import { engineContextFor } from '../engineContext';
import { numberFlag, stringFlag } from '../flags';
import { endProgress } from '../output';
import { cliPath, shownPath } from '../paths';

/**
 * `driftcatcher evaluate STREAM_DIR`: replays a labelled batch stream under each retraining policy (in memory;
 * the workspace's registry and tracking are not touched) and reports decision quality.
 * With --output DIR it writes evaluate.json, evaluate.md and evaluate.svg there.
 */
export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  usage: 'evaluate STREAM_DIR [--label COL] [--policies never,always,psi,agent] [--format json|markdown] [--cost-per-retrain X] [--trees N] [--output DIR]',
  summary: 'Replay time-ordered labelled batches under never / always / PSI / agent retraining and compare accuracy and cost',
  options: {
    label: { type: 'string' },
    policies: { type: 'string' },
    'cost-per-retrain': { type: 'string' },
    trees: { type: 'string' },
    output: { type: 'string' },
  },
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('usage: driftcatcher evaluate STREAM_DIR (a folder of time-ordered labelled CSV batches)', 'BAD_INPUT');
    const format = stringFlag(cli, 'format') ?? 'markdown';
    if (format !== 'json' && format !== 'markdown') throw new DriftCatcherError(`--format must be json or markdown (got '${format}')`, 'BAD_INPUT');
    const trees = numberFlag(cli, 'trees', (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
    const report = await evaluateStream(engineContextFor(cli), {
      stream: cliPath(cli, cli.args[0]),
      label: stringFlag(cli, 'label'),
      policies: parsePolicies(stringFlag(cli, 'policies')),
      costPerRetrain: numberFlag(cli, 'cost-per-retrain', (n) => n >= 0, 'a number ≥ 0'),
      settings: trees === undefined ? {} : { trees },
    });
    endProgress(cli);
    const json = JSON.stringify(report, null, 2) + '\n';
    const markdown = formatEvaluation(report);
    const out = stringFlag(cli, 'output');
    if (out) {
      const dir = cliPath(cli, out);
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(path.join(dir, 'evaluate.json'), json);
      writeFileAtomic(path.join(dir, 'evaluate.md'), markdown);
      writeFileAtomic(path.join(dir, 'evaluate.svg'), accuracySvg(report.summary, report.runs, 'Accuracy per batch by retraining policy'));
      cli.stderr(`wrote evaluate.json, evaluate.md and evaluate.svg to ${shownPath(cli, dir)}\n`);
    }
    cli.stdout(format === 'json' ? json : markdown);
    return 0;
  },
};

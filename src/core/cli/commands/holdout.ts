import type { CliCommand } from '../command';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { numberFlag, stringFlag, wantsJson } from '../flags';
import { endProgress, textTable } from '../output';
import { invoke, shownPath } from '../paths';

export const holdoutCommand: CliCommand = {
  name: 'holdout',
  usage: 'holdout --data-dir DIR|SOURCE --output H.csv [--where SQL] [--sample-fraction 0.15]  (SOURCE: a labelled Parquet file, glob or table URI)',
  summary: 'Sample a stratified, deterministic holdout set from every CSV in a folder, or from a Parquet file or table',
  options: { 'data-dir': { type: 'string' }, output: { type: 'string', short: 'o' }, where: { type: 'string' }, 'sample-fraction': { type: 'string' } },
  async run(cli) {
    const r = await invoke(cli, engineContextFor(cli), Methods.createHoldout, {
      dataDir: stringFlag(cli, 'data-dir', true),
      output: stringFlag(cli, 'output', true),
      where: stringFlag(cli, 'where'),
      sampleFraction: numberFlag(cli, 'sample-fraction', (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    });
    endProgress(cli);
    if (wantsJson(cli)) {
      cli.stdout(JSON.stringify(r, null, 2) + '\n');
      return 0;
    }
    const rows = Object.entries(r.labels)
      .sort((a, b) => b[1] - a[1])
      .map(([l, n]) => [l, String(n), `${((100 * n) / r.rows).toFixed(1)} %`]);
    cli.stdout(`wrote ${shownPath(cli, r.output)}: ${r.rows} rows\n\n${textTable(['label', 'rows', 'share'], rows)}`);
    return 0;
  },
};

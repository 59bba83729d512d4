import type { CliCommand } from '../command';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress, textTable } from '../output';
import { describeCheck } from '../../model/gate';
import { fmt } from '../../util/format';
import { invoke } from '../paths';

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: 'validate [--version vN] [--holdout SOURCE] [--where SQL]  (SOURCE: a labelled CSV or Parquet file, or a table URI)',
  summary: 'Run the validation gate for a candidate against production on a holdout (default: held-out rows of the newest batches; exit 1 when the gate fails)',
  options: { version: { type: 'string' }, holdout: { type: 'string' }, where: { type: 'string' } },
  async run(cli) {
    const r = await invoke(cli, engineContextFor(cli), Methods.validate, { version: stringFlag(cli, 'version'), holdout: stringFlag(cli, 'holdout'), where: stringFlag(cli, 'where') });
    endProgress(cli);
    if (wantsJson(cli)) {
      cli.stdout(JSON.stringify(r, null, 2) + '\n');
    } else {
      const rows = r.checks.map((c) => [c.name, fmt(c.value), `${c.comparison} ${fmt(c.threshold)}`, c.passed ? 'pass' : 'FAIL', describeCheck(c)]);
      cli.stdout(
        `${r.version} on ${r.holdout.path} (${r.holdout.rows} rows): ${r.passed ? 'PASSED' : 'FAILED'}\n\n` +
          textTable(['check', 'value', 'threshold', 'result', 'why'], rows),
      );
    }
    return r.passed ? 0 : 1;
  },
};

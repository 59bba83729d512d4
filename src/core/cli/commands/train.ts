import type { CliCommand } from '../command';
import { Methods } from '../../protocol';
import { engineContextFor } from '../engineContext';
import { numberFlag, stringFlag } from '../flags';
import { endProgress } from '../output';
import { DriftCatcherError } from '../../util/errors';
import { invoke } from '../paths';

function taskFlag(v: string | undefined): 'binary' | 'multiclass' | undefined {
  if (v === undefined || v === 'binary' || v === 'multiclass') return v;
  throw new DriftCatcherError(`--task must be binary or multiclass (got '${v}')`, 'BAD_INPUT');
}

export const trainCommand: CliCommand = {
  name: 'train',
  usage:
    'train --base-data SOURCE [--new-data SOURCE …] [--holdout SOURCE] [--base-where SQL] [--where SQL] [--holdout-where SQL] [--label COL] [--dataset NAME] [--task binary|multiclass] [--trees 100]' +
    ' (SOURCE: a CSV or Parquet file, a glob or folder, duckdb:FILE?table=T, clickhouse://HOST:PORT/DB/TABLE, postgresql://USER@HOST:PORT/DB?table=T; --where selects rows of the new data)',
  summary: 'Train a candidate model version (random forest) and print its metrics as JSON (exit 1 when --holdout is given and the gate fails)',
  options: {
    'base-data': { type: 'string' },
    'new-data': { type: 'string', multiple: true },
    holdout: { type: 'string' },
    'base-where': { type: 'string' },
    where: { type: 'string' },
    'holdout-where': { type: 'string' },
    label: { type: 'string' },
    trees: { type: 'string' },
    task: { type: 'string' },
  },
  async run(cli) {
    const nd = cli.flags['new-data'];
    const r = await invoke(cli, engineContextFor(cli), Methods.train, {
      baseData: stringFlag(cli, 'base-data', true),
      newData: Array.isArray(nd) ? nd : typeof nd === 'string' ? [nd] : undefined,
      holdout: stringFlag(cli, 'holdout'),
      baseWhere: stringFlag(cli, 'base-where'),
      where: stringFlag(cli, 'where'),
      holdoutWhere: stringFlag(cli, 'holdout-where'),
      label: stringFlag(cli, 'label'),
      trees: numberFlag(cli, 'trees', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
      task: taskFlag(stringFlag(cli, 'task')),
    });
    endProgress(cli);
    const { accuracy, precision, recall, f1, roc_auc, balanced_accuracy, macro_f1, majority_baseline } = r.metrics;
    const out: Record<string, unknown> = {
      version: r.version,
      metrics: { accuracy, precision, recall, f1, roc_auc, balanced_accuracy, macro_f1, majority_baseline },
      rows: r.rows,
      train_rows: r.rows - r.metrics.rows,
      test_rows: r.metrics.rows,
      dropped_rows: r.dropped_rows,
      train_seconds: r.train_seconds,
    };
    if (r.warnings) out.warnings = r.warnings;
    if (r.validation) out.validation = { passed: r.validation.passed, checks: r.validation.checks };
    cli.stdout(JSON.stringify(out, null, 2) + '\n');
    return r.validation && !r.validation.passed ? 1 : 0; // like validate: a failed gate is exit 1
  },
};

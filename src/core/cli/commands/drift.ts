import type { CliCommand } from '../command';
import { formatReport } from '../../drift/formatReport';
import { Methods, type DriftReport, type Severity } from '../../protocol';
import { severityAtLeast } from '../../drift/driftReport';
import { DriftCatcherError } from '../../util/errors';
import { engineContextFor } from '../engineContext';
import { stringFlag } from '../flags';
import { endProgress } from '../output';
import { invoke } from '../paths';

/**
 * `driftcatcher drift BASELINE.csv|PROFILE.json CURRENT.csv`: a public contract (scripts and CI rely on it).
 * --format json prints exactly the documented keys; exit 1 when --fail-on is reached.
 */
export const driftCommand: CliCommand = {
  name: 'drift',
  usage:
    'drift BASELINE|PROFILE.json CURRENT [--where "SQL"] [--baseline-where "SQL"] [--multivariate] [--label COL] [--format json|markdown|table] [--fail-on moderate|severe]',
  summary: 'Compare current data with a baseline, feature by feature (PSI, KS/χ², JS, Wasserstein); CSV, Parquet, globs, folders or tables',
  options: { label: { type: 'string' }, 'fail-on': { type: 'string' }, where: { type: 'string' }, 'baseline-where': { type: 'string' }, multivariate: { type: 'boolean' } },
  async run(cli) {
    const format = stringFlag(cli, 'format') ?? 'table';
    if (format !== 'json' && format !== 'markdown' && format !== 'table') {
      throw new DriftCatcherError(`--format must be json, markdown or table (got '${format}')`, 'BAD_INPUT');
    }
    const failOn = stringFlag(cli, 'fail-on');
    if (failOn !== undefined && failOn !== 'moderate' && failOn !== 'severe') {
      throw new DriftCatcherError(`--fail-on must be moderate or severe (got '${failOn}')`, 'BAD_INPUT');
    }
    if (cli.args.length < 1 || cli.args.length > 2) {
      throw new DriftCatcherError(`drift takes BASELINE (data or profile JSON) and CURRENT data (got ${cli.args.length} arguments)`, 'BAD_INPUT');
    }
    // one argument: the current file against the production model's profile
    const [baseline, current] = cli.args.length === 2 ? cli.args : [undefined, cli.args[0]];
    const report = await invoke(cli, engineContextFor(cli), Methods.checkDrift, {
      baseline,
      current,
      label: stringFlag(cli, 'label'),
      where: stringFlag(cli, 'where'),
      baselineWhere: stringFlag(cli, 'baseline-where'),
      multivariate: cli.flags.multivariate === true ? true : undefined,
    });
    endProgress(cli);
    cli.stdout(format === 'json' ? JSON.stringify(publicJson(report), null, 2) + '\n' : formatReport(report, format));
    return failOn !== undefined && severityAtLeast(report.overall.severity, failOn as Severity) ? 1 : 0;
  },
};

/** The documented JSON shape of `drift --format json`, nothing more. */
export function publicJson(r: DriftReport): object {
  const o = r.overall;
  return {
    overall: { psi_mean: o.psi_mean, psi_max: o.psi_max, n_drifted: o.n_drifted, share_drifted: o.share_drifted, severity: o.severity },
    features: r.features.map((f) => ({
      name: f.name,
      kind: f.kind,
      psi: f.psi,
      test: f.test,
      statistic: f.statistic,
      p_value: f.p_value,
      severity: f.severity,
      drifted: f.drifted,
    })),
    quality: r.quality,
    ...(r.multivariate ? { multivariate: r.multivariate } : {}),
  };
}

import type { CliCommand, CliContext } from '../command';
import type { BaselineVersion } from '../../protocol';
import { DriftCatcherError } from '../../util/errors';
import { BASELINE_FILE, baselineHistory, restoreBaseline, versionBaseline, type BaselineResult } from '../../versioning/baseline';
import { engineContextFor, stringFlag, textTable, wantsJson } from './modelCli';

const SUBCOMMANDS = ['history', 'restore', 'version'] as const;

export const baselineCommand: CliCommand = {
  name: 'baseline',
  usage: 'baseline history | restore REV | version [FILE] [--model vN]',
  summary: `Baseline versions (DVC + git): list them, restore one byte-identically, or version ${BASELINE_FILE} (or FILE)`,
  options: { model: { type: 'string' } },
  async run(cli) {
    const [sub, arg] = cli.args;
    const ctx = engineContextFor(cli);
    switch (sub) {
      case 'history': {
        const versions = await baselineHistory(ctx);
        if (wantsJson(cli)) cli.stdout(JSON.stringify(versions, null, 2) + '\n');
        else if (versions.length === 0) cli.stdout(`no baseline versions yet (run: driftcatcher baseline version ${BASELINE_FILE})\n`);
        else cli.stdout(textTable(['rev', 'date', 'model', 'rows', 'size', 'md5', 'message'], versions.map(row)));
        return 0;
      }
      case 'restore': {
        if (!arg) throw new DriftCatcherError('baseline restore needs a REV (see `driftcatcher baseline history`)', 'BAD_INPUT');
        return print(cli, await restoreBaseline(ctx, { rev: arg }), 'restored');
      }
      case 'version':
        return print(cli, await versionBaseline(ctx, { file: arg, modelVersion: stringFlag(cli, 'model') }), 'versioned');
      default:
        throw new DriftCatcherError(`baseline needs a sub-command: ${SUBCOMMANDS.join(', ')}${sub ? ` (got '${sub}')` : ''}`, 'BAD_INPUT');
    }
  },
};

function row(v: BaselineVersion): string[] {
  return [v.rev.slice(0, 8) || '—', v.date.slice(0, 19).replace('T', ' '), v.model_version ?? '—', v.rows === undefined ? '—' : String(v.rows), String(v.size), v.md5.slice(0, 8), v.message.split('\n')[0]];
}

function print(cli: CliContext, r: BaselineResult, verb: string): number {
  if (wantsJson(cli)) {
    cli.stdout(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  cli.stdout(`${verb} baseline ${r.rev ? r.rev.slice(0, 8) : '(not committed)'}: ${r.rows ?? '?'} rows, ${r.size} bytes, md5 ${r.md5}${r.model_version ? `, model ${r.model_version}` : ''}\n`);
  if (r.pushed) cli.stdout(`pushed to ${r.pushed}\n`);
  return 0; // notices already went to stderr through ctx.log
}

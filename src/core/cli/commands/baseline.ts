import type { CliCommand, CliContext } from '../command';
import { Methods, type BaselineChoice, type BaselineVersion } from '../../protocol';
import { callOperation } from '../../operations';
import { DriftCatcherError } from '../../util/errors';
import { BASELINE_FILE, versionBaseline, type BaselineResult } from '../../versioning/baseline';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { textTable } from '../output';
import { cliPath, invoke } from '../paths';

const SUBCOMMANDS = ['use', 'show', 'history', 'restore', 'version'] as const;

export const baselineCommand: CliCommand = {
  name: 'baseline',
  usage: 'baseline use FILE|--production | show | history | restore REV | version [FILE] [--model vN]',
  summary: `The drift baseline every check uses (a chosen file or the production model's), and baseline versions (DVC + git): list, restore byte-identically, or version ${BASELINE_FILE} (or FILE)`,
  options: { model: { type: 'string' }, production: { type: 'boolean' } },
  async run(cli) {
    const [sub, arg] = cli.args;
    const ctx = engineContextFor(cli);
    switch (sub) {
      case 'use': {
        if (!arg && cli.flags.production !== true) throw new DriftCatcherError('baseline use needs a FILE, or --production to go back to the production model\'s baseline', 'BAD_INPUT');
        return printChoice(cli, await invoke(cli, ctx, Methods.setBaseline, arg ? { baseline: arg } : {}));
      }
      case 'show':
        return printChoice(cli, await callOperation(ctx, Methods.getBaseline, {}));
      case 'history': {
        const versions = await callOperation(ctx, Methods.baselineHistory, {});
        if (wantsJson(cli)) cli.stdout(JSON.stringify(versions, null, 2) + '\n');
        else if (versions.length === 0) cli.stdout(`no baseline versions yet (run: driftcatcher baseline version ${BASELINE_FILE})\n`);
        else cli.stdout(textTable(['rev', 'date', 'model', 'rows', 'size', 'md5', 'message'], versions.map(row)));
        return 0;
      }
      case 'restore': {
        if (!arg) throw new DriftCatcherError('baseline restore needs a REV (see `driftcatcher baseline history`)', 'BAD_INPUT');
        return print(cli, (await callOperation(ctx, Methods.restoreBaseline, { rev: arg })) as BaselineResult, 'restored');
      }
      case 'version':
        return print(cli, await versionBaseline(ctx, { file: arg === undefined ? undefined : cliPath(cli, arg), modelVersion: stringFlag(cli, 'model') }), 'versioned');
      default:
        throw new DriftCatcherError(`baseline needs a sub-command: ${SUBCOMMANDS.join(', ')}${sub ? ` (got '${sub}')` : ''}`, 'BAD_INPUT');
    }
  },
};

function printChoice(cli: CliContext, c: BaselineChoice): number {
  if (wantsJson(cli)) cli.stdout(JSON.stringify(c, null, 2) + '\n');
  else if (c.kind === 'file') cli.stdout(`drift baseline: ${c.source} (${c.rows} rows, ${c.features} features, chosen ${c.chosen_at})\n`);
  else cli.stdout(`drift baseline: ${c.version ? `the production model ${c.version}'s training data` : 'none (no model in production; run: driftcatcher baseline use FILE)'}\n`);
  return 0;
}

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

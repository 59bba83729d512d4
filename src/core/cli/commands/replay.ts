import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { replay } from '../../agent/decisionLog';
import { formatReplay } from '../../agent/format';
import { engineContextFor } from '../engineContext';
import { wantsJson } from '../flags';

/** `driftcatcher replay DECISION_ID`: re-evaluate today's policy on a logged decision's inputs; exit 1 if it differs. */
export const replayCommand: CliCommand = {
  name: 'replay',
  usage: 'replay DECISION_ID',
  summary: "Re-run the rule policy on a logged decision's inputs and show any difference (exit 1 when the policy now picks another action)",
  options: {},
  async run(cli) {
    if (cli.args.length !== 1) throw new DriftCatcherError('usage: driftcatcher replay DECISION_ID (ids: driftcatcher agent list)', 'BAD_INPUT');
    const r = await replay(engineContextFor(cli), { id: cli.args[0] });
    cli.stdout(wantsJson(cli) ? JSON.stringify(r, null, 2) + '\n' : formatReplay(r).join('\n') + '\n');
    return r.logged_policy.action !== r.replayed_policy.action ? 1 : 0;
  },
};

import type { CliCommand } from '../command';
import { Methods, type Autonomy, type Plan } from '../../protocol';
import { DriftCatcherError } from '../../util/errors';
import { callOperation } from '../../operations';
import { invoke } from '../paths';
import { formatDecision, formatPlan } from '../../agent/format';
import { engineContextFor } from '../engineContext';
import { stringFlag, wantsJson } from '../flags';
import { endProgress } from '../output';
import { currentEscalation, resetEscalation, reviewNote } from '../../agent/escalation';

const AUTONOMY: Autonomy[] = ['suggest', 'approve', 'autonomous'];
const PLAN_VERBS = ['approve', 'reject', 'resume', 'abandon'] as const;

/**
 * `driftcatcher agent CURRENT [--where SQL]` (any data source): drift → decision → plan → execution within the autonomy level.
 * `agent approve|reject|resume|abandon PLAN_ID` answers or continues a stored plan; `agent list` shows the log.
 * Exit code 1 when the plan failed (the decision itself is logged either way).
 */
export const agentCommand: CliCommand = {
  name: 'agent',
  usage:
    'agent CURRENT [--where "SQL"] [--autonomy suggest|approve|autonomous] [--yes] (CURRENT: a CSV or Parquet file, a glob or folder, or a table URI) | agent approve|reject|resume|abandon PLAN_ID | agent list | agent escalation [--reset]',
  summary: 'Decide what to do about drift (LLM or rule policy) and act within the autonomy level',
  options: { autonomy: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, reset: { type: 'boolean' }, where: { type: 'string' } },
  async run(cli) {
    const ctx = engineContextFor(cli);
    const json = wantsJson(cli);
    const [first, second] = cli.args;
    if (!first) throw new DriftCatcherError('missing CURRENT data (usage: driftcatcher agent CURRENT [--where "SQL"])', 'BAD_INPUT');
    const printPlan = (plan: Plan): number => {
      endProgress(cli);
      cli.stdout(json ? JSON.stringify({ plan }, null, 2) + '\n' : formatPlan(plan).join('\n') + '\n');
      return plan.status === 'failed' ? 1 : 0;
    };
    if (first === 'escalation' && cli.args.length === 1) {
      // after consecutive failed validations the agent waits for a person; --reset lets it act alone again
      const e = cli.flags.reset === true ? resetEscalation(ctx, 'reset from the command line') : currentEscalation(ctx);
      if (json) cli.stdout(JSON.stringify(e, null, 2) + '\n');
      else {
        cli.stdout(
          e.escalated
            ? `escalated: ${reviewNote(e)}\n${e.failures.map((f) => `  ${f.version} (${f.validated_at}): ${f.reason}`).join('\n')}\n`
            : `not escalated: ${e.consecutive_failed_validations} consecutive failed validation(s), escalates at ${e.threshold}${e.reset_at ? `; last reset ${e.reset_at}` : ''}\n`,
        );
      }
      return 0;
    }
    if (first === 'list' && cli.args.length === 1) {
      const { decisions, plans } = await callOperation(ctx, Methods.listPlans, {});
      if (json) cli.stdout(JSON.stringify({ decisions, plans }, null, 2) + '\n');
      else {
        for (const d of decisions) cli.stdout(`${d.created_at}  ${d.id}  ${d.action.padEnd(14)} ${d.source}\n`);
        for (const p of plans) cli.stdout(`${p.created_at}  ${p.id}  ${(p.interrupted ? 'interrupted' : p.status).padEnd(17)} ${p.goal}\n`);
        if (!decisions.length && !plans.length) cli.stdout('no decisions yet\n');
      }
      return 0;
    }
    if ((PLAN_VERBS as readonly string[]).includes(first) && second && cli.args.length === 2) {
      if (first === 'approve' || first === 'reject') return printPlan(await callOperation(ctx, Methods.approvePlan, { planId: second, approve: first === 'approve' }));
      if (first === 'resume') return printPlan(await callOperation(ctx, Methods.resumePlan, { planId: second, approved: cli.flags.yes === true }));
      return printPlan(await callOperation(ctx, Methods.abandonPlan, { planId: second }));
    }
    if (cli.args.length !== 1) throw new DriftCatcherError(`expected one CURRENT data source, got ${cli.args.length} arguments`, 'BAD_INPUT');
    const a = stringFlag(cli, 'autonomy');
    if (a !== undefined && !(AUTONOMY as string[]).includes(a)) throw new DriftCatcherError(`--autonomy must be suggest, approve or autonomous (got '${a}')`, 'BAD_INPUT');
    const result = await invoke(cli, ctx, Methods.runAgent, {
      current: first,
      where: stringFlag(cli, 'where'),
      autonomy: a as Autonomy | undefined,
      yes: cli.flags.yes === true,
    });
    endProgress(cli);
    if (json) cli.stdout(JSON.stringify({ decision: result.decision, plan: result.plan }, null, 2) + '\n');
    else cli.stdout([...formatDecision(result.decision), '', ...formatPlan(result.plan)].join('\n') + '\n');
    return result.plan.status === 'failed' ? 1 : 0;
  },
};

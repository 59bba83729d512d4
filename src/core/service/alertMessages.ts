import type { AlertKind } from './alertConfig';
import type { ServiceEvent } from './events';

/**
 * The words of an alert, and its two wire shapes: Slack's incoming-webhook JSON (`text` + `blocks`) and Teams'
 * MessageCard (`@type`, `summary`, `sections.facts`). Both services also accept a bare `text`, so either format
 * works with other chat tools that copy them. Everything that comes from data or an LLM (column names, file names,
 * rationales) is escaped for the target's markup.
 */
export interface AlertMessage {
  kind: AlertKind;
  level: 'info' | 'warning' | 'critical';
  title: string;
  /** name → value, untrusted values allowed */
  facts: Array<[string, string]>;
}

const TOP_FEATURES = 3;

export function alertFor(e: ServiceEvent): AlertMessage | undefined {
  switch (e.kind) {
    case 'drift_checked': {
      const r = e.report;
      if (r.overall.severity !== 'severe') return undefined;
      const top = r.features.slice(0, TOP_FEATURES).map((f) => `${f.name} (PSI ${f.psi.toFixed(3)})`);
      return {
        kind: 'severe_drift',
        level: 'critical',
        title: `Severe drift in ${basename(r.current.source)}`,
        facts: [
          ['batch', r.current.source],
          ['drifted features', `${r.overall.n_drifted} of ${r.overall.total_features} (${(r.overall.share_drifted * 100).toFixed(0)} %)`],
          ['PSI max / mean', `${r.overall.psi_max.toFixed(3)} / ${r.overall.psi_mean.toFixed(3)}`],
          ['most drifted', top.join(', ')],
        ],
      };
    }
    case 'awaiting_approval':
      return {
        kind: 'awaiting_approval',
        level: 'warning',
        title: `Plan ${e.plan.id} is waiting for approval to deploy`,
        facts: [
          ['goal', e.plan.goal],
          ['approve', `driftcatcher agent approve ${e.plan.id}  (or POST /plans/${e.plan.id}/approve)`],
          ['reject', `driftcatcher agent reject ${e.plan.id}`],
        ],
      };
    case 'validation_failed':
      return {
        kind: 'validation_failed',
        level: 'warning',
        title: `Validation gate refused ${e.version ?? 'a candidate model'}`,
        facts: [['checks', e.message], ...plan(e.planId)],
      };
    case 'deployed':
      return {
        kind: 'deployed',
        level: 'info',
        title: `Model ${e.version} deployed to production`,
        facts: [...(e.previous ? ([['previous', e.previous]] as Array<[string, string]>) : []), ...plan(e.planId)],
      };
    case 'rolled_back':
      return { kind: 'rolled_back', level: 'warning', title: `Production rolled back to ${e.version}`, facts: plan(e.planId) };
    default:
      return undefined;
  }
}

function plan(id: string | undefined): Array<[string, string]> {
  return id ? [['plan', id]] : [];
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

const LEVEL_COLOR = { info: '2EB67D', warning: 'ECB22E', critical: 'E01E5A' } as const;

/** Slack mrkdwn: only &, < and > are control characters (https://api.slack.com/reference/surfaces/formatting) */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Teams renders a subset of Markdown and HTML in MessageCard text: neutralise both */
export function escapeTeams(s: string): string {
  return escapeSlack(s).replace(/([\\`*_{}[\]()#+\-!|~])/g, '\\$1');
}

export function slackPayload(m: AlertMessage): object {
  const text = `[DriftCatcher] ${escapeSlack(m.title)}`;
  const blocks: object[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }];
  // Slack allows at most 10 fields per section
  if (m.facts.length) blocks.push({ type: 'section', fields: m.facts.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${escapeSlack(k)}*\n${escapeSlack(v)}` })) });
  return { text, blocks };
}

export function teamsPayload(m: AlertMessage): object {
  const title = `[DriftCatcher] ${escapeTeams(m.title)}`;
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: title,
    themeColor: LEVEL_COLOR[m.level],
    title,
    text: title,
    sections: [{ facts: m.facts.map(([name, value]) => ({ name: escapeTeams(name), value: escapeTeams(value) })) }],
  };
}

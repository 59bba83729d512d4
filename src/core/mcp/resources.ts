import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { DriftCatcherError } from '../util/errors';
import type { Method } from '../operations';
import type { OperationRunner } from './runner';

/**
 * What an agent can read without calling a tool: the latest drift report, the decision log with its plans, and the
 * model registry. Each is served by the same read-only engine operation the dashboard uses.
 */
interface ResourceSpec extends Resource {
  read(runner: OperationRunner, signal: AbortSignal): Promise<unknown>;
}

const read = <M extends Method>(runner: OperationRunner, method: M, signal: AbortSignal) => runner.run(method, {}, { signal });

const RESOURCES: ResourceSpec[] = [
  {
    uri: 'driftcatcher://reports/latest',
    name: 'latest-drift-report',
    title: 'Latest drift report',
    description: 'The most recent drift check of this workspace: overall figures, every feature (PSI, test, JS, Wasserstein, bins) and data-quality findings.',
    mimeType: 'application/json',
    async read(runner, signal) {
      const report = (await read(runner, 'driftcatcher/dashboardData', signal)).report;
      if (!report) throw new DriftCatcherError('no drift report yet: run check_drift first', 'NOT_FOUND');
      return report;
    },
  },
  {
    uri: 'driftcatcher://decisions',
    name: 'decision-log',
    title: "The agent's decisions and plans",
    description: 'Every logged decision (action, confidence, rationale, source) and every plan with its steps and status.',
    mimeType: 'application/json',
    read: (runner, signal) => read(runner, 'driftcatcher/listPlans', signal),
  },
  {
    uri: 'driftcatcher://models',
    name: 'model-registry',
    title: 'Model registry',
    description: 'Every model version (candidate, production, archived, rejected) with metrics, validation, lineage and feature list.',
    mimeType: 'application/json',
    read: async (runner, signal) => ({ models: await read(runner, 'driftcatcher/listModels', signal) }),
  },
];

export function resourceList(): Resource[] {
  return RESOURCES.map(({ read: _read, ...r }) => r);
}

export async function readResource(runner: OperationRunner, uri: string): Promise<ReadResourceResult> {
  const spec = RESOURCES.find((r) => r.uri === uri);
  if (!spec) throw new DriftCatcherError(`unknown resource ${uri}; the resources are ${RESOURCES.map((r) => r.uri).join(', ')}`, 'NOT_FOUND');
  const value = await spec.read(runner, new AbortController().signal);
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] };
}

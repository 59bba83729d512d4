// One-off helper: writes the extension's manifest keys (contributes, activationEvents, e2e/package scripts) into
// package.json without touching other keys. Kept so the manifest can be regenerated and reviewed as code.
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, '../../../package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));

// Parquet files are read by the engine's DuckDB source; drift, baselines and the digital twin work on them as on CSVs
const table = 'resourceExtname == .csv || resourceExtname == .parquet';
const cmd = (command, title, icon, extra = {}) => ({ command, title, category: 'DriftCatcher', ...(icon ? { icon: `$(${icon})` } : {}), ...extra });
const commands = [
  cmd('driftcatcher.checkDrift', 'Check Drift', 'pulse'),
  cmd('driftcatcher.checkDriftSource', 'Check Drift of a Table Source…', 'database'),
  cmd('driftcatcher.goToColumn', 'Go to Column…', 'symbol-field'),
  cmd('driftcatcher.useAsBaseline', 'Use as Baseline', 'pin'),
  cmd('driftcatcher.useProductionBaseline', 'Use the Production Model\'s Baseline', 'home'),
  cmd('driftcatcher.trainModel', 'Train Model', 'beaker'),
  cmd('driftcatcher.validateModel', 'Validate Model', 'checklist'),
  cmd('driftcatcher.deployModel', 'Deploy Model', 'rocket'),
  cmd('driftcatcher.rollbackModel', 'Rollback Model', 'discard'),
  cmd('driftcatcher.runAgent', 'Run Agent', 'hubot'),
  cmd('driftcatcher.runAgentSource', 'Run Agent on a Table Source…', 'database'),
  cmd('driftcatcher.simulate', 'Run Digital Twin Simulation', 'debug-alt'),
  cmd('driftcatcher.approvePlan', 'Approve Pending Plan', 'check'),
  cmd('driftcatcher.rejectPlan', 'Reject Pending Plan', 'close'),
  cmd('driftcatcher.resumePlan', 'Resume Interrupted Plan', 'debug-continue'),
  cmd('driftcatcher.abandonPlan', 'Abandon Plan', 'trash'),
  cmd('driftcatcher.resetEscalation', 'Reset Escalation (Let the Agent Act Alone Again)', 'unlock'),
  cmd('driftcatcher.openDashboard', 'Open Dashboard', 'graph'),
  cmd('driftcatcher.createHoldout', 'Create Holdout', 'archive'),
  cmd('driftcatcher.baselineHistory', 'Baseline History', 'history'),
  cmd('driftcatcher.restoreBaseline', 'Restore Baseline', 'history'),
  cmd('driftcatcher.setApiKey', 'Set LLM API Key', 'key'),
  cmd('driftcatcher.chooseDataset', 'Choose Dataset Configuration…', 'database'),
  cmd('driftcatcher.openDemo', 'Open Demo Workspace', 'folder-opened'),
  cmd('driftcatcher.refresh', 'Refresh', 'refresh'),
  cmd('driftcatcher.showLog', 'Show Server Log', 'output'),
];
// commands that only make sense from a tree item or with an argument stay out of the palette
const hidden = ['driftcatcher.refresh'];

const csvMenu = (group) => [
  { command: 'driftcatcher.checkDrift', when: table, group: `${group}@1` },
  { command: 'driftcatcher.useAsBaseline', when: table, group: `${group}@2` },
  { command: 'driftcatcher.simulate', when: table, group: `${group}@3` },
];

const num = (description, def, min, max) => ({ type: 'number', default: def, description, ...(min !== undefined ? { minimum: min } : {}), ...(max !== undefined ? { maximum: max } : {}) });
const floor = (metric) => ({
  type: ['number', 'null'],
  default: null,
  description: `Absolute floor on a candidate's ${metric} on the holdout. Empty (null): no floor — the gate compares the candidate with the production model on the same recent holdout and with the majority-class predictor (README "Validation gate"). The CICIDS2017 dataset configuration brings its own floors.`,
  minimum: 0,
  maximum: 1,
});
const DATASET_SETTING =
  'Dataset configuration (label, classes, categorical and dropped columns): the built-in `Generic` or `CICIDS2017`, or a name under `datasets` in driftcatcher.config.json. Run "DriftCatcher: Choose Dataset Configuration…" to pick one the engine knows; an unknown name is reported with the known ones.';
const configuration = {
  title: 'DriftCatcher',
  properties: {
    'driftcatcher.drift.moderateThreshold': num('PSI at or above which a feature counts as moderately drifted.', 0.1, 0),
    'driftcatcher.drift.severeThreshold': num('PSI at or above which a feature counts as severely drifted.', 0.2, 0),
    'driftcatcher.drift.pValue': num('Significance level of the KS / chi-squared tests.', 0.01, 0, 1),
    'driftcatcher.drift.multivariate': { type: 'boolean', default: false, description: 'Every drift check also measures multivariate drift (a classifier that tells the two samples apart, and the PCA reconstruction error): changes no single feature shows. Costs a pass over both sides and a few forests; the dashboard can measure it for one batch on demand.' },
    // as the engine's gate (src/core/model/gateConfig.ts): no absolute floor unless one is set (a dataset config may bring its own)
    'driftcatcher.validation.accuracy': floor('accuracy'),
    'driftcatcher.validation.precision': floor('(macro) precision'),
    'driftcatcher.validation.recall': floor('(macro) recall'),
    'driftcatcher.validation.f1': floor('(macro) F1'),
    'driftcatcher.validation.maxRegression': num('How much worse than production (on the same holdout) a candidate may be on a guarded metric (accuracy, balanced accuracy, macro-F1).', 0.01, 0, 1),
    'driftcatcher.llm.baseUrl': { type: 'string', default: 'https://openrouter.ai/api/v1', description: 'OpenAI-compatible endpoint of the agent\'s LLM. The API key is not a setting: use "DriftCatcher: Set LLM API Key" (stored in the OS secret storage).' },
    'driftcatcher.llm.model': { type: 'string', default: 'liquid/lfm-2.5-1.2b-instruct:free', description: 'Model name sent to the LLM endpoint.' },
    'driftcatcher.llm.timeoutMs': { type: 'integer', default: 5000, minimum: 100, description: 'After this long the rule policy decides instead of the LLM.' },
    'driftcatcher.llm.provider': {
      type: 'string',
      enum: ['openai', 'editor'],
      default: 'openai',
      enumDescriptions: ['An OpenAI-compatible endpoint (llm.baseUrl) with the API key from "DriftCatcher: Set LLM API Key".', "The chat model VS Code offers (e.g. GitHub Copilot), asked through VS Code's language-model API: no API key needed. VS Code asks your consent the first time."],
      description: "Which language model the agent's reasoning engine asks. Either way the rule policy decides when the model does not answer in time or answers off-schema.",
    },
    'driftcatcher.llm.editorModel': { type: 'string', default: '', description: 'With llm.provider "editor": which of VS Code\'s chat models, as "vendor" or "vendor/family" (e.g. "copilot/gpt-4o"). Empty: the first one VS Code offers.' },
    'driftcatcher.agent.autonomy': {
      type: 'string', enum: ['suggest', 'approve', 'autonomous'], default: 'approve',
      enumDescriptions: ['Only recommend; never change anything.', 'Retrain and validate, then wait for your approval before deploying.', 'Deploy automatically when validation passes.'],
      description: 'How far the agent may act on its own.',
    },
    'driftcatcher.agent.escalateAfterFailedValidations': { type: 'integer', default: 2, minimum: 1, description: 'After this many validations failed in a row the agent waits for a person before it retrains again, whatever the autonomy level, until someone approves such a plan or runs "DriftCatcher: Reset Escalation".' },
    'driftcatcher.watch.folders': { type: 'array', items: { type: 'string' }, default: [], description: 'Workspace-relative folders the server watches for new batch CSVs.' },
    'driftcatcher.watch.checkIntervalSeconds': { type: 'integer', default: 60, minimum: 1, description: 'How often the watched folders are checked.' },
    'driftcatcher.label': { type: 'string', default: '', description: 'Label column name (empty: guessed from the dataset config).' },
    'driftcatcher.dataset': { type: 'string', default: 'Generic', description: DATASET_SETTING },
    'driftcatcher.tracking.uri': { type: 'string', default: '', description: 'MLflow tracking URI (empty: the workspace\'s mlruns folder).' },
    'driftcatcher.sources.trustedHosts': {
      type: 'array', items: { type: 'string' }, default: [], scope: 'machine',
      description: 'Database hosts ("host" or "host:port") that may receive your CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, PGPASSWORD and ~/.pgpass passwords when a source names them, also in a folder you have not trusted. In a trusted folder every host may. Only your user settings count.',
    },
  },
};

// a workspace with DriftCatcher state or config activates it (workspaceContains matches files, not folders)
pkg.activationEvents = ['onLanguage:csv', 'workspaceContains:.driftcatcher/production.json', 'workspaceContains:driftcatcher.config.json', 'onWebviewPanel:driftcatcher.dashboard'];
// the language-model tools are declared next to their engine operations (src/extension/lmTools.ts): kept as they are
const { languageModelTools } = pkg.contributes ?? {};
pkg.contributes = {
  commands,
  menus: {
    commandPalette: hidden.map((command) => ({ command, when: 'false' })),
    'explorer/context': csvMenu('driftcatcher'),
    'editor/title/context': csvMenu('driftcatcher'),
    'editor/context': csvMenu('driftcatcher'),
    'view/title': [
      { command: 'driftcatcher.refresh', when: 'view =~ /^driftcatcher\\./', group: 'navigation@9' },
      { command: 'driftcatcher.openDashboard', when: 'view =~ /^driftcatcher\\./', group: 'navigation@1' },
      { command: 'driftcatcher.checkDrift', when: 'view == driftcatcher.drift', group: 'navigation@2' },
      { command: 'driftcatcher.goToColumn', when: 'view == driftcatcher.drift', group: 'navigation@3' },
      { command: 'driftcatcher.trainModel', when: 'view == driftcatcher.models', group: 'navigation@2' },
      { command: 'driftcatcher.runAgent', when: 'view == driftcatcher.agent', group: 'navigation@2' },
      { command: 'driftcatcher.resetEscalation', when: 'view == driftcatcher.agent && driftcatcher.escalated', group: 'navigation@3' },
    ],
    'view/item/context': [
      { command: 'driftcatcher.deployModel', when: 'view == driftcatcher.models && viewItem == model.candidate', group: 'inline' },
      { command: 'driftcatcher.validateModel', when: 'view == driftcatcher.models && viewItem =~ /^model\\.(candidate|rejected)$/', group: 'inline' },
      { command: 'driftcatcher.rollbackModel', when: 'view == driftcatcher.models && viewItem == model.production', group: 'inline' },
      { command: 'driftcatcher.approvePlan', when: 'view == driftcatcher.agent && viewItem == plan.awaiting_approval', group: 'inline' },
      { command: 'driftcatcher.rejectPlan', when: 'view == driftcatcher.agent && viewItem == plan.awaiting_approval', group: 'inline' },
      { command: 'driftcatcher.resumePlan', when: 'view == driftcatcher.agent && viewItem =~ /^plan\\.(running|planned)$/', group: 'inline' },
      { command: 'driftcatcher.abandonPlan', when: 'view == driftcatcher.agent && viewItem =~ /^plan\\.(running|planned|awaiting_approval)$/', group: 'inline@9' },
      { command: 'driftcatcher.resetEscalation', when: 'view == driftcatcher.agent && viewItem == escalation', group: 'inline' },
    ],
  },
  viewsContainers: {
    activitybar: [{ id: 'driftcatcher', title: 'DriftCatcher', icon: 'media/driftcatcher.svg' }],
  },
  views: {
    driftcatcher: [
      { id: 'driftcatcher.drift', name: 'Drift' },
      { id: 'driftcatcher.models', name: 'Models' },
      { id: 'driftcatcher.agent', name: 'Agent' },
      { id: 'driftcatcher.runs', name: 'Runs' },
    ],
  },
  viewsWelcome: [
    { view: 'driftcatcher.drift', contents: 'No drift report yet. Right-click a batch CSV in the explorer, or:\n[Check Drift](command:driftcatcher.checkDrift)\nNew here? Generate a CICIDS-like demo project:\n[Open Demo Workspace](command:driftcatcher.openDemo)' },
    { view: 'driftcatcher.models', contents: 'No model versions yet.\n[Train Model](command:driftcatcher.trainModel)' },
    { view: 'driftcatcher.agent', contents: 'The agent has not decided anything yet.\n[Run Agent](command:driftcatcher.runAgent)\n[Run Digital Twin Simulation](command:driftcatcher.simulate)' },
    { view: 'driftcatcher.runs', contents: 'No tracked runs yet. Training and drift checks are logged to the workspace\'s mlruns folder.\n[Open Dashboard](command:driftcatcher.openDashboard)' },
  ],
  configuration,
  ...(languageModelTools ? { languageModelTools } : {}),
  walkthroughs: [
    {
      id: 'driftcatcher.start',
      title: 'Get started with DriftCatcher',
      description: 'Catch data drift, let the agent reason about it, and keep your model honest.',
      steps: [
        { id: 'demo', title: 'Open the demo workspace', description: 'Generate a CICIDS-like project with a baseline, a production model and drifted batches.\n[Open Demo Workspace](command:driftcatcher.openDemo)', media: { markdown: 'media/walkthrough/demo.md' }, completionEvents: ['onCommand:driftcatcher.openDemo'] },
        { id: 'check', title: 'Check a batch for drift', description: 'Right-click a batch CSV and choose "Check Drift".\n[Check Drift](command:driftcatcher.checkDrift)', media: { markdown: 'media/walkthrough/check.md' }, completionEvents: ['onCommand:driftcatcher.checkDrift'] },
        { id: 'agent', title: 'Run the agent', description: 'The agent decides whether to retrain, explains why, and waits for your approval before deploying.\n[Run Agent](command:driftcatcher.runAgent)', media: { markdown: 'media/walkthrough/agent.md' }, completionEvents: ['onCommand:driftcatcher.runAgent'] },
        { id: 'dashboard', title: 'Open the dashboard', description: 'PSI per feature, histograms, drift over time, model metrics and the agent\'s reasoning.\n[Open Dashboard](command:driftcatcher.openDashboard)', media: { markdown: 'media/walkthrough/dashboard.md' }, completionEvents: ['onCommand:driftcatcher.openDashboard'] },
      ],
    },
  ],
};
pkg.scripts['test:e2e'] = 'bash test/e2e/run.sh';
pkg.scripts['test:electron'] = 'npm run build && npm run compile && node test/e2e/fixture/makeWorkspace.mjs test/e2e/.work/ws-electron && vscode-test';
// a platform-specific .vsix (DuckDB's native library for its target): see scripts/package.js
pkg.scripts.package = 'node scripts/package.js';
if (!/test:e2e/.test(pkg.scripts.test)) pkg.scripts.test = `${pkg.scripts.test} && npm run test:e2e`;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: contributes, activationEvents, scripts updated');

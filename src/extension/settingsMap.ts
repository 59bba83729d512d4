/**
 * Which editor setting feeds which key of the engine's configuration (driftcatcher.config.json's shape). No vscode
 * import, so a unit test can hold the settings' defaults in package.json equal to the engine's.
 */
/** setting key (under "driftcatcher.") -> path in ServerSettings */
export const SETTINGS_MAP: Array<[string, string[]]> = [
  ['dataset', ['dataset']],
  ['label', ['label']],
  ['drift.moderateThreshold', ['drift', 'moderate']],
  ['drift.severeThreshold', ['drift', 'severe']],
  ['drift.pValue', ['drift', 'pValue']],
  ['drift.multivariate', ['drift', 'multivariate']],
  ['validation.accuracy', ['validation', 'accuracy']],
  ['validation.precision', ['validation', 'precision']],
  ['validation.recall', ['validation', 'recall']],
  ['validation.f1', ['validation', 'f1']],
  ['validation.maxRegression', ['validation', 'maxRegression']],
  ['llm.baseUrl', ['llm', 'baseUrl']],
  ['llm.model', ['llm', 'model']],
  ['llm.timeoutMs', ['llm', 'timeoutMs']],
  ['llm.provider', ['llm', 'provider']],
  ['llm.editorModel', ['llm', 'editorModel']],
  ['agent.autonomy', ['agent', 'autonomy']],
  ['agent.escalateAfterFailedValidations', ['agent', 'escalateAfterFailedValidations']],
  ['watch.folders', ['watch', 'folders']],
  ['watch.checkIntervalSeconds', ['watch', 'checkIntervalSeconds']],
  ['tracking.uri', ['tracking', 'uri']],
  ['sources.trustedHosts', ['sources', 'trustedHosts']],
];

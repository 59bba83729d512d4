import type { CliCommand } from '../command';
import { profileCommand } from './profile';
import { driftCommand } from './drift';
import { demoCommand } from './demo';
import { serveCommand } from './serve';
import { trainCommand } from './train';
import { holdoutCommand } from './holdout';
import { validateCommand } from './validate';
import { deployCommand } from './deploy';
import { rollbackCommand } from './rollback';
import { modelsCommand } from './models';
import { predictCommand } from './predict';
import { runsCommand } from './runs';
import { baselineCommand } from './baseline';
import { agentCommand } from './agent';
import { simulateCommand } from './simulate';
import { replayCommand } from './replay';
import { evaluateCommand } from './evaluate';
import { demoStreamCommand } from './demoStream';
import { mcpCommand } from './mcp';
import { watchCommand } from './watch';

/** Every CLI command. Each capability adds its commands here (one line each). */
export const commands: CliCommand[] = [
  serveCommand, mcpCommand,
  profileCommand,
  driftCommand,
  demoCommand,
  trainCommand, holdoutCommand, validateCommand, deployCommand, rollbackCommand, modelsCommand, predictCommand,
  runsCommand,
  baselineCommand,
  agentCommand, simulateCommand, replayCommand,
  evaluateCommand, demoStreamCommand,
  watchCommand,
];

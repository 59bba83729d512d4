import type { CliCommand } from '../command';
import { profileCommand } from './profile';
import { driftCommand } from './drift';
import { serveCommand } from './serve';
import { trainCommand } from './train';
import { holdoutCommand } from './holdout';
import { validateCommand } from './validate';
import { deployCommand } from './deploy';
import { rollbackCommand } from './rollback';
import { modelsCommand } from './models';
import { predictCommand } from './predict';

/** Every CLI command. Each capability adds its commands here (one line each). */
export const commands: CliCommand[] = [
  serveCommand,
  profileCommand,
  driftCommand,
  trainCommand, holdoutCommand, validateCommand, deployCommand, rollbackCommand, modelsCommand, predictCommand,];

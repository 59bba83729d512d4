import type { CliCommand } from '../command';
import { profileCommand } from './profile';
import { driftCommand } from './drift';
import { serveCommand } from './serve';

/** Every CLI command. Each capability adds its commands here (one line each). */
export const commands: CliCommand[] = [
  serveCommand,
  profileCommand,
  driftCommand,];

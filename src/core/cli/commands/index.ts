import type { CliCommand } from '../command';

/** Every CLI command. Each capability adds its commands here (one line each). */
export const commands: CliCommand[] = [];

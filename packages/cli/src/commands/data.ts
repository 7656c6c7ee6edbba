import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/**
 * `ltssl data ...`: dataset tools. Each subcommand lives in its own file
 * (data-<name>.ts) and is added here.
 */
export function addDataCommands(program: Command, io: CliIO, result: { code: number }): void {
  const data = program.command('data').description('inspect datasets and long-tail class counts');
  void data;
  void io;
  void result;
}

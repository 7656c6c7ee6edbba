import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { addDataCountsCommand } from './data-counts.js';
import { addDataInspectCommand } from './data-inspect.js';

/**
 * `ltssl data ...`: dataset tools. Each subcommand lives in its own file
 * (data-<name>.ts) and is added here.
 */
export function addDataCommands(program: Command, io: CliIO, result: { code: number }): void {
  const data = program.command('data').description('inspect datasets and long-tail class counts');
  addDataCountsCommand(data, io, result);
  addDataInspectCommand(data, io, result);
  void io;
  void result;
}

import { Command, CommanderError, Option } from 'commander';
import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { conformanceCommand } from './commands/conformance.js';
import { addDataCommands } from './commands/data.js';
import { driversCommand } from './commands/drivers.js';
import { createRunContext, DEFAULT_BACKEND, type GlobalOptions } from './global-options.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { parseInteger, parseNumber } from './parse-number.js';
import { trainDemoCommand, type TrainDemoOptions } from './commands/train.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `result.code` is set by the action that ran. */
function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command('ltssl')
    .description('Is self-supervised pre-training more robust to class imbalance than supervised pre-training? (Liu et al., ICLR 2022), on any tensor engine.')
    .option('--backend <name>', "driver to run on: a name from 'ltssl drivers', or auto (the fastest that starts here)", DEFAULT_BACKEND)
    .option('--driver-module <package>', 'load an external driver: a package or path exporting an inversify ContainerModule (repeatable)', collect, [])
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Parse errors are reported by runCli as one line; help text still goes out.
      writeErr: () => undefined,
    });

  program
    .command('drivers')
    .description('list every driver, whether it can start here and why not, and its device')
    .addOption(new Option('--json', 'print JSON instead of a table'))
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await driversCommand(context, io, options);
    });

  program
    .command('conformance')
    .description("run the conformance suite on a driver (--backend): ops, VJPs, modules and whole steps against the reference")
    .option('--only <prefix>', "run only the checks whose id starts with this (e.g. 'op/', 'step/')")
    .option('--verbose', 'print every check, not only failures')
    .action(async (options: { verbose?: boolean; only?: string }, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await conformanceCommand(context, io, options);
    });

  program
    .command('train')
    .description('demo: train the supervised small CNN on generated, linearly separable images (the study comes later)')
    .option('--epochs <n>', 'epochs', parseInteger, 5)
    .option('--batch <n>', 'batch size', parseInteger, 32)
    .option('--samples <n>', 'training images', parseInteger, 256)
    .option('--classes <n>', 'classes', parseInteger, 4)
    .option('--size <n>', 'image height and width', parseInteger, 8)
    .option('--width <n>', 'width of the first conv', parseInteger, 8)
    .option('--lr <x>', 'learning rate (SGD, momentum 0.9)', parseNumber, 0.05)
    .option('--noise <x>', 'noise standard deviation around each class template', parseNumber, 1)
    .option('--seed <n>', 'seed for data and initialisation', parseInteger, 0)
    .action(async (options: TrainDemoOptions, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await trainDemoCommand(context, io, options);
    });

  addDataCommands(program, io, result);

  return program;
}

/** One line for a command-line mistake, naming what would have been accepted. */
function describeParseError(error: CommanderError, program: Command, argv: readonly string[]): string {
  const commands = program.commands.map((c) => c.name());
  const name = argv.find((a) => commands.includes(a));
  const command = program.commands.find((c) => c.name() === name) ?? program;
  const options = [...command.options, ...(command === program ? [] : program.options)].map((o) => o.long).filter(Boolean);
  switch (error.code) {
    case 'commander.unknownOption':
      return `${error.message.replace(/^error: /, '')}; options${command === program ? '' : ` of '${command.name()}'`}: ${[...options, '--help'].join(', ')}`;
    case 'commander.unknownCommand':
      return `${error.message.replace(/^error: /, '').replace(/\.$/, '')}; commands: ${commands.join(', ')}`;
    case 'commander.excessArguments':
      return `${error.message.replace(/^error: /, '').replace(/\.$/, '')}; see 'ltssl ${command === program ? '' : command.name() + ' '}--help'`;
    default:
      return error.message.replace(/^error: /, '');
  }
}

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 the work failed, 2 the
 * command line was wrong (one line naming the choices).
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(io, result);
  const args = argv.slice(2);
  try {
    if (args.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(args, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return EXIT.ok;
      io.stderr.write(`ltssl: ${describeParseError(error, program, args)}\n`);
      return EXIT.usage;
    }
    if (error instanceof UsageError || hasErrorCode(error, ERROR_CODES.driverSelection)) {
      io.stderr.write(`ltssl: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`ltssl: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { conformanceCommand } from './commands/conformance.js';
import { addDataCommands } from './commands/data.js';
import { driversCommand } from './commands/drivers.js';
import { createRunContext, DEFAULT_BACKEND, type GlobalOptions } from './global-options.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { parseInteger, parseNumber, parseTemperatureSchedule } from './parse-number.js';
import { trainCommand, type TrainOptions } from './commands/train.js';
import { DATASET_NAMES, DEFAULT_DATASET, DEFAULT_OOD_DATASET, ENCODER_ARCHS, METHOD_NAMES, METHOD_OPTIONS, PROTOCOLS, type MethodOptions, type ProtocolName } from '@ltssl/experiments';
import { evalCommand, type EvalOptions } from './commands/eval.js';
import { exportCommand, type ExportOptions } from './commands/export.js';
import { collectCommand } from './commands/collect.js';
import { statusCommand } from './commands/status.js';
import { runStudyCommand, type RunOptions } from './commands/run.js';
import { cellCommand, type CellOptions } from './commands/cell.js';
import { collectQueueCommand } from './commands/collect-queue.js';
import { addQueueCommands } from './commands/queue.js';
import { addSubmitCommands } from './commands/submit.js';
import { DEFAULT_QUEUE } from './scale/queue-job.js';
import { STUDIES } from './studies/studies.js';

/** The package's own version, for --version (read at run time so a release bump needs no code change). */
/** Every option any method takes: the method flags of `ltssl train`. */
const METHOD_OPTION_NAMES = [...new Set(Object.values(METHOD_OPTIONS).flat())];

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `result.code` is set by the action that ran. */
function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command('ltssl')
    .description('Is self-supervised pre-training more robust to class imbalance than supervised pre-training? (Liu et al., ICLR 2022), on any tensor engine.')
    .option('--backend <name>', "driver to run on: a name from 'ltssl drivers', or auto (the fastest that starts here)", DEFAULT_BACKEND)
    .option('--driver-module <package>', 'load an external driver: a package or path exporting an inversify ContainerModule (repeatable)', collect, [])
    .version(VERSION, '--version', 'print the version of ltssl')
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
    .description('pre-train one encoder with a method on a (long-tailed subset of a) dataset; checkpoints and resumes with --out')
    .addOption(new Option('--method <name>', 'pre-training method').choices(METHOD_NAMES).default('simsiam'))
    .option('--data <name|path>', `dataset: ${DATASET_NAMES.join(', ')}, a folder (IDX, CIFAR, STL-10, NumPy arrays, ImageFolder), a CIFAR .tar.gz or an .npz`, DEFAULT_DATASET)
    .addOption(new Option('--arch <name>', 'encoder').choices(ENCODER_ARCHS).default('small-cnn'))
    .option('--width <n>', 'encoder width (default: 32 for small-cnn, 64 for resnet18)', parseInteger)
    .option('--epochs <n>', 'epochs', parseInteger, 20)
    .option('--batch <n>', 'batch size', parseInteger, 256)
    .option('--lr <x>', "base learning rate; the run uses base x batch / 256 (default: the method's)", parseNumber)
    .option('--seed <n>', 'seed of sampling, initialisation, shuffles and augmentations', parseInteger, 0)
    .addOption(new Option('--profile <name>', 'imbalance profile').choices(['exp', 'step']).default('exp'))
    .option('--ratio <r>', 'imbalance ratio r in (0, 1]; 1 is balanced', parseNumber, 1)
    .option('--total <n>', 'images in the pre-training subset (default: all at r = 1, else the most that fit)', parseInteger)
    .option('--knn-every <n>', 'kNN monitor every n epochs (0: off)', parseInteger, 5)
    .option('--knn-k <n>', 'neighbours of the kNN monitor', parseInteger, 20)
    .option('--out <dir>', 'save checkpoints here, and resume from the newest when rerun')
    .option('--checkpoint-every <n>', 'epochs between checkpoints', parseInteger, 5)
    .option('--projector-dim <n>', 'projector output dimension (every method but supervised)', parseInteger)
    .option('--projector-hidden-dim <n>', 'projector hidden width (simclr, supcon, mocov2, byol, barlow-twins, vicreg, sdclr)', parseInteger)
    .option('--predictor-dim <n>', "SimSiam's predictor bottleneck", parseInteger)
    .option('--projector-layers <n>', "Linear layers of SimSiam's projector", parseInteger)
    .option('--temperature <x>', 'softmax temperature (simclr, supcon, mocov2, sdclr)', parseNumber)
    .option('--queue-size <n>', "MoCo's queue size K", parseInteger)
    .option('--key-momentum <x>', "MoCo's key-encoder momentum m", parseNumber)
    .option('--batch-norm-splits <n>', "MoCo's split BatchNorm sub-batches", parseInteger)
    .option('--temperature-schedule <min,max,period>', "SimCLR's cosine temperature schedule (Kukleva et al. 2023): tau_-, tau_+ and the period in epochs, e.g. 0.1,1,200", parseTemperatureSchedule)
    .option('--predictor-hidden-dim <n>', "BYOL's predictor hidden width", parseInteger)
    .option('--base-momentum <x>', "BYOL's tau_base of the target momentum schedule", parseNumber)
    .option('--lambda <x>', "Barlow Twins' off-diagonal weight", parseNumber)
    .option('--invariance-weight <x>', "VICReg's lambda", parseNumber)
    .option('--variance-weight <x>', "VICReg's mu", parseNumber)
    .option('--covariance-weight <x>', "VICReg's nu", parseNumber)
    .option('--prune-fraction <x>', "SDCLR's share of pruned encoder weights", parseNumber)
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      // Every method option has a flag of its name (kebab-cased); the method's schema checks the values.
      const methodOptions = Object.fromEntries(METHOD_OPTION_NAMES.map((name) => [name, raw[name]])) as MethodOptions;
      result.code = await trainCommand(context, io, { ...(raw as unknown as TrainOptions), methodOptions });
    });

  program
    .command('eval')
    .description('evaluate an encoder checkpoint (ltssl or PyTorch safetensors): linear probe or kNN, in and out of domain')
    .requiredOption('--checkpoint <file>', 'an ltssl checkpoint, or a PyTorch state_dict saved as safetensors')
    .addOption(new Option('--probe <kind>', 'evaluation').choices(['linear', 'knn']).default('linear'))
    .option('--data <name|path>', "in-domain dataset (default: the checkpoint's)")
    .option('--ood-data <name|path>', `out-of-domain dataset (e.g. ${DEFAULT_OOD_DATASET})`)
    .option('--probe-augment', 'the official protocol: augmented images through the frozen encoder, SGD lr 30, x0.1 at 60 and 80')
    .option('--probe-epochs <n>', 'linear probe epochs', parseInteger, 100)
    .option('--knn-k <n>', 'neighbours for --probe knn', parseInteger, 20)
    .option('--seed <n>', 'seed of the probe', parseInteger, 0)
    .action(async (options: EvalOptions, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await evalCommand(context, io, options);
    });

  program
    .command('run')
    .description('run a study protocol (imbalance: methods x n x r x seeds; toy: the Gaussian model; rwsam; semi-synthetic); finished cells are never recomputed')
    .argument('<protocol>', `protocol: ${PROTOCOLS.join(', ')}`)
    .addOption(new Option('--preset <name>', 'starting configuration (imbalance: quick by default, methods for the comparison of every method; semi-synthetic: none, the defaults, by default)').choices(['quick', 'methods', 'paper']))
    .option('--config <file>', 'JSON fields over the preset (see below), or a study.json written by a run (taken whole, no preset under it)')
    .option('--data <name|path>', 'in-domain dataset')
    .option('--ood-data <name|path>', 'out-of-domain dataset')
    .option('--test-data <path>', 'imbalance: the test split, for an ImageFolder or NumPy dataset that has none (the same format; an ImageFolder of the same class folders)')
    .option('--subset-file <file|r=file...>', 'imbalance: the pre-training subset of every r from files instead of drawn: one JSON map {"1": [indices], "0.01": "split.txt"}, or R=FILE (one index, or ImageFolder file name, a line) for each r, r = 1 included')
    .option('--out <dir>', 'study folder (default runs/<protocol>-<preset>, runs/<protocol> without a preset)')
    .option('--seeds <k>', 'seeds per point', parseInteger)
    .option('--dry-run', 'list the cells and check the sizes against the data, then time steps for an estimate; train nothing')
    .option('--verbose', "also print what the engine reports about each program it compiles (e.g. the nodes ONNX Runtime's WebGPU provider leaves to its CPU provider)")
    .addHelpText(
      'after',
      [
        '',
        'The configuration: the preset, then the --config file, then --data, --ood-data, --test-data,',
        '--subset-file and --seeds, each over the one before by one rule: objects merge field by field,',
        'recursively; arrays, numbers, strings, booleans and null replace whole; a field left out keeps its',
        'value. The result is validated, every',
        'bad field named. Then, before any work (and in --dry-run), every size it asks for is checked',
        'against the loaded data (n at every r and profile, class by class; the probe, few-shot and kNN',
        'sets; the out-of-domain per-class count; the test splits): a size that does not fit is one error',
        "naming the field, what it needs and what the data holds, exit 2. 'ltssl data inspect NAME' shows",
        'what a dataset holds.',
      ].join('\n'),
    )
    .action(async (protocol: string, options: RunOptions, command: Command) => {
      if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw new UsageError(`unknown protocol '${protocol}'; choose one of: ${PROTOCOLS.join(', ')}`);
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await runStudyCommand(STUDIES[protocol as ProtocolName], context, io, options);
    });

  program
    .command('cell')
    .description('run exactly one cell of a study and write its result file (the unit an external scheduler runs)')
    .requiredOption('--config <file>', "the study's configuration (its study.json, or a file of fields over the protocol's default preset, merged as 'ltssl run' merges them)")
    .option('--cell <id>', "the cell's id (see 'ltssl run ... --dry-run')")
    .option('--index <i>', "instead of --cell: the plan's cell at this index (0-based; a Slurm array task id, a Kubernetes completion index; see 'ltssl status DIR --cells')", parseInteger)
    .option('--config-hash <hash>', 'refuse to start (exit 2) unless the configuration hashes to this: what a scheduler was handed the cell for')
    .requiredOption('--out <dir>', 'the folder its result (cells/<id>.json) and checkpoints go to')
    .option('--verbose', "also print what the engine reports about each program it compiles (e.g. the nodes ONNX Runtime's WebGPU provider leaves to its CPU provider)")
    .action(async (options: CellOptions, command: Command) => {
      const context = await createRunContext(command.optsWithGlobals<GlobalOptions>());
      result.code = await cellCommand(context, io, options);
    })
    .addHelpText('after', "\nThe cell goes through the same study command as 'ltssl run': its configuration resolved and its sizes checked against the data before any work (exit 2 when they do not fit).");

  program
    .command('collect')
    .description("merge a study's cell result files (and those of other folders, e.g. from other machines) into its results.sqlite and results.csv")
    .argument('<dir>', "the study folder (the --out of 'ltssl run')")
    .argument('[others...]', 'more folders of cell results: study folders or plain folders of <cell>.json files')
    .option('--queue <url>', "also the results workers returned through this Redis queue ('ltssl queue worker' without a shared folder)")
    .option('--queue-name <name>', 'the queue', DEFAULT_QUEUE)
    .action(async (dir: string, others: string[], options: { queue?: string; queueName: string }) => {
      result.code = options.queue ? await collectQueueCommand(io, dir, others, { queue: options.queue, queueName: options.queueName }) : await collectCommand(io, dir, others);
    });

  program
    .command('status')
    .description('show which planned cells of a study are done, pending, running or failed (with their errors)')
    .argument('<dir>', "the study folder (the --out of 'ltssl run')")
    .option('--cells', 'also list every planned cell: its plan index, its state (done, pending, running, failed) and its id')
    .action(async (dir: string, options: { cells?: boolean }) => {
      result.code = await statusCommand(io, dir, options);
    });

  program
    .command('report')
    .description('render the study report of a study folder into DIR/report: figures (SVG, PNG), report.md, report.html; prints the SSL vs SL verdicts')
    .argument('<dir>', "study folder (the one 'ltssl run' wrote; holds cells/*.json)")
    .option('--title <text>', 'heading of the report')
    .action(async (dir: string, options: { title?: string }) => {
      // Imported on use: only this command needs it (and vega and resvg load on its first figure).
      const { reportCommand } = await import('./commands/report.js');
      result.code = await reportCommand(io, dir, options);
    });

  program
    .command('export')
    .description("write the encoder of a checkpoint as a standalone ONNX inference model: input 'images' [batch, C, H, W], output 'features' [batch, D], any batch size")
    .requiredOption('--checkpoint <file>', 'an ltssl checkpoint, or a PyTorch state_dict saved as safetensors')
    .addOption(new Option('--format <name>', 'model format').choices(['onnx']).default('onnx'))
    .requiredOption('--out <file>', 'where to write the model (encoder.onnx)')
    .option('--height <n>', 'input height', parseInteger, 32)
    .option('--width <n>', 'input width', parseInteger, 32)
    .option('--no-normalize', 'leave the normalisation out: the model takes normalised images instead of images on the [0, 1] scale')
    .option('--data <name|folder>', "normalise with this dataset's mean and std (for a PyTorch state_dict, which records none)")
    .action(async (options: ExportOptions) => {
      result.code = await exportCommand(io, options);
    });

  addDataCommands(program, io, result);
  addSubmitCommands(program, io, result);
  addQueueCommands(program, io, result);

  return program;
}

/** One line for a command-line mistake, naming what would have been accepted. */
function describeParseError(error: CommanderError, program: Command, argv: readonly string[]): string {
  const commands = program.commands.map((c) => c.name());
  const name = argv.find((a) => commands.includes(a));
  const command = program.commands.find((c) => c.name() === name) ?? program;
  const options = [...command.options, ...(command === program ? [] : program.options.filter((o) => o.long !== '--version'))].map((o) => o.long).filter(Boolean);
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

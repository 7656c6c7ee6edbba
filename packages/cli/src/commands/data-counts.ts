import { InvalidArgumentError, Option, type Command } from 'commander';
import { classCounts, headCounts, IMBALANCE_PROFILES, type ImbalanceProfile } from '@ltssl/experiments';
import { UsageError, type CliIO } from '../io.js';

interface CountsOptions {
  readonly profile: ImbalanceProfile;
  readonly classes: number;
  readonly ratio: number;
  readonly head?: number;
  readonly total?: number;
}

function integerAtLeast(min: number, what: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${what} must be an integer of at least ${min}`);
    return n;
  };
}

function ratio(value: string): number {
  const r = Number(value);
  if (value.trim() === '' || !(r > 0 && r <= 1)) throw new InvalidArgumentError('the imbalance ratio r must be in (0, 1]: smallest over largest class prior, 1 is balanced');
  return r;
}

/**
 * `ltssl data counts`: the class counts of a long-tail profile, class 0 the
 * head, as one JSON list. `--head N` gives docs/paper.md's head-size form
 * (n_i = floor(N r^(i/(C-1)))); `--total n` the fixed-n split the paper
 * compares ratios with.
 */
export function addDataCountsCommand(data: Command, io: CliIO, result: { code: number }): void {
  data
    .command('counts')
    .description('print the per-class image counts of a long-tail profile, class 0 first, as a JSON list')
    .addOption(new Option('--profile <profile>', 'imbalance profile: exp (r^(i/(C-1))) or step (half at 1, half at r)').choices(IMBALANCE_PROFILES).makeOptionMandatory())
    .addOption(new Option('--classes <C>', 'number of classes (at least 2)').argParser(integerAtLeast(2, 'the number of classes C')).makeOptionMandatory())
    .addOption(new Option('--ratio <r>', 'imbalance ratio r in (0, 1]: smallest over largest class prior').argParser(ratio).makeOptionMandatory())
    .addOption(new Option('--head <N>', 'images of the head class (head-size form; the total follows from N and r)').argParser(integerAtLeast(1, 'the head size N')).conflicts('total'))
    .addOption(new Option('--total <n>', 'total images n, split by largest remainder (the same n for every r)').argParser(integerAtLeast(0, 'the total n')))
    .action((options: CountsOptions) => {
      const { profile, classes } = options;
      let counts: number[];
      if (options.head !== undefined) counts = headCounts({ profile, classes, ratio: options.ratio, head: options.head });
      else if (options.total !== undefined) counts = classCounts({ profile, classes, ratio: options.ratio, total: options.total });
      else throw new UsageError("'data counts' needs --head <N> (head-size form) or --total <n> (fixed total)");
      io.stdout.write(`[${counts.join(', ')}]\n`);
      result.code = 0;
    });
}

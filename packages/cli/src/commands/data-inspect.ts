import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { classIndex, DATASET_NAMES, isDatasetName, loadDataset, unknownDatasetMessage, type Cifar100Labels, type LoadedDataset } from '@ltssl/experiments';
import { UsageError, type CliIO } from '../io.js';

interface InspectOptions {
  readonly labels: Cifar100Labels;
  readonly resize?: { height: number; width: number };
  readonly testData?: string;
}

const FORMAT_NAMES: Readonly<Record<LoadedDataset['format'], string>> = {
  idx: 'IDX',
  'cifar-10': 'CIFAR-10 binary',
  'cifar-100': 'CIFAR-100 binary',
  'stl-10': 'STL-10 binary',
  'cifar-10-python': 'CIFAR-10 python (pickled batches, read without running pickle code)',
  'cifar-100-python': 'CIFAR-100 python (pickled batches, read without running pickle code)',
  numpy: 'NumPy arrays',
  'image-folder': 'ImageFolder (class folders of images, decoded with sharp)',
  generated: 'generated in memory',
};

function size(value: string): { height: number; width: number } {
  const match = /^(\d+)x(\d+)$/.exec(value.trim());
  const height = Number(match?.[1]);
  const width = Number(match?.[2]);
  if (!match || !(height >= 1 && height <= 4096 && width >= 1 && width <= 4096)) throw new InvalidArgumentError('give the size as HxW, e.g. 32x32 (1 to 4096 each)');
  return { height, width };
}

function table(rows: readonly string[][], rightAligned: (column: number) => boolean): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

const fixed = (values: readonly number[]): string => (values.length === 1 ? values[0]!.toFixed(4) : `[${values.map((v) => v.toFixed(4)).join(', ')}]`);

/** The report: what the dataset is, then one histogram row per class with a column per split. */
export function describeDataset(data: LoadedDataset, options: InspectOptions): string {
  const { train, test } = data;
  const format = FORMAT_NAMES[data.format] + (data.format === 'cifar-100' || data.format === 'cifar-100-python' ? ` (${options.labels} labels)` : '');
  const resized = options.resize ? ' (resized on load)' : '';
  const header = table(
    [
      ['dataset', data.name],
      ['source', data.source],
      ['format', format],
      ['origin', data.provenance.origin],
      ['splits', `train ${train.count}, test ${test.count}`],
      ['image', `${train.channels} x ${train.height} x ${train.width} (C x H x W)${resized}`],
      ['classes', String(train.classes)],
      ['normalization', `mean ${fixed(data.normalization.mean)}, std ${fixed(data.normalization.std)} (${data.provenance.normalization})`],
      ...(data.provenance.cache ? [['images', data.provenance.cache]] : []),
    ],
    () => false,
  );
  const trainCounts = classIndex(train).available;
  const testCounts = classIndex(test).available;
  const rows = [['class', 'train', 'test']];
  for (let c = 0; c < train.classes; c++) {
    const name = train.classNames?.[c];
    rows.push([name === undefined || name === String(c) ? String(c) : `${c} ${name}`, String(trainCounts[c] ?? 0), String(testCounts[c] ?? 0)]);
  }
  rows.push(['total', String(train.count), String(test.count)]);
  return `${header}\n\n${table(rows, (c) => c > 0)}\n`;
}

/**
 * `ltssl data inspect NAME_OR_PATH`: loads a dataset as a run would and
 * prints its source, format, split sizes, image shape, classes and per-class
 * counts. A damaged file is one line naming it, exit 1; a name that is
 * neither known nor a path is a command-line mistake, exit 2.
 */
export function addDataInspectCommand(data: Command, io: CliIO, result: { code: number }): void {
  data
    .command('inspect')
    .description('load a dataset and print its source, format, split sizes, image shape and the class histogram of each split')
    .argument(
      '<dataset>',
      `a name (${DATASET_NAMES.join(', ')}); a folder of IDX, CIFAR-10/100 (binary or python), STL-10 or NumPy files, or an ImageFolder (class folders of PNG/JPEG/WebP); a CIFAR archive as downloaded (.tar.gz); or an .npz`,
    )
    .addOption(new Option('--labels <which>', 'CIFAR-100 labels: fine (100 classes) or coarse (20 superclasses)').choices(['fine', 'coarse']).default('fine'))
    .addOption(new Option('--resize <HxW>', 'STL-10 (area averaging) and ImageFolder (sharp): resize images on load, e.g. 32x32').argParser(size))
    .option('--test-data <path>', 'ImageFolder and NumPy: the test split, when the dataset has none')
    .action(async (dataset: string, options: InspectOptions) => {
      if (!isDatasetName(dataset) && !existsSync(dataset)) throw new UsageError(unknownDatasetMessage(dataset));
      if (options.testData !== undefined && !existsSync(options.testData)) throw new UsageError(`--test-data ${options.testData}: no such file or folder`);
      const loaded = await loadDataset(dataset, { cifar100Labels: options.labels, ...(options.resize ? { resize: options.resize } : {}), ...(options.testData ? { testData: options.testData } : {}) });
      io.stdout.write(describeDataset(loaded, options));
      result.code = 0;
    });
}

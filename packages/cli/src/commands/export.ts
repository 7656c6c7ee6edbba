import { exportInferenceModel } from '@ltssl/driver-onnx';
import { buildExportProgram, loadDataset, loadEncoder, writeFileAtomic, type Normalization } from '@ltssl/experiments';
import { UsageError, type CliIO } from '../io.js';
import { writableFile } from '../writable-out.js';

export interface ExportOptions {
  readonly checkpoint: string;
  readonly format: 'onnx';
  readonly out: string;
  readonly height: number;
  readonly width: number;
  /** false with --no-normalize: the model takes normalised images. */
  readonly normalize: boolean;
  /** A dataset whose mean and std normalise the input, for a checkpoint that records none (a PyTorch state_dict). */
  readonly data?: string;
}

/**
 * The batch the encoder is traced at. The model's batch dimension is symbolic
 * whatever this is; it only has to be 2 or more, where the batch axis cannot
 * be mistaken for a broadcast one (driver-onnx's export).
 */
const TRACED_BATCH = 2;

const list = (values: readonly number[]): string => `[${values.map((v) => v.toPrecision(4)).join(', ')}]`;

/**
 * `ltssl export --checkpoint FILE --format onnx --out encoder.onnx`: the
 * encoder of a checkpoint (ltssl or PyTorch safetensors) as a standalone ONNX
 * inference model: input 'images' float32 [batch, C, H, W] on the [0, 1]
 * scale, normalised inside the model as in training (unless --no-normalize),
 * output 'features' [batch, D], eval-mode BatchNorm, the weights as
 * initializers, any batch size.
 */
export async function exportCommand(io: CliIO, o: ExportOptions): Promise<number> {
  for (const [flag, value] of [['--height', o.height], ['--width', o.width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  }
  if (!o.normalize && o.data !== undefined) throw new UsageError('--data gives the normalisation constants; it does not go with --no-normalize');
  // The output's folder before any work: an unwritable --out is one line now, not after the export.
  await writableFile(o.out, '--out');
  const encoder = await loadEncoder(o.checkpoint);
  let normalization: Normalization | undefined;
  let from = '';
  if (o.normalize) {
    if (o.data !== undefined) {
      const data = await loadDataset(o.data);
      if (data.normalization.mean.length !== encoder.spec.inChannels) throw new UsageError(`--data ${o.data} has ${data.normalization.mean.length} channels, but the encoder takes ${encoder.spec.inChannels}`);
      ({ normalization } = data);
      from = `${data.name}'s`;
    } else if (encoder.normalization) {
      ({ normalization } = encoder);
      from = "the checkpoint's";
    } else {
      throw new UsageError(
        `${o.checkpoint} is a PyTorch state_dict, which records no input normalisation: give --data NAME (that dataset's mean and std go into the model) or --no-normalize (the model then takes normalised images)`,
      );
    }
  }
  const program = buildExportProgram(encoder.spec, TRACED_BATCH, o.height, o.width, normalization);
  const bytes = await exportInferenceModel(program, { readState: async () => encoder.state });
  await writeFileAtomic(o.out, (sink) => sink(bytes));
  const dim = program.graph.node(program.outputs[0]!.node).shape[1]!;
  const input = normalization
    ? `on the [0, 1] scale, normalised inside the model with ${from} mean ${list(normalization.mean)} and std ${list(normalization.std)}`
    : 'already normalised (--no-normalize)';
  io.stdout.write(
    `wrote ${o.out} (${(bytes.length / 1024).toFixed(0)} KiB): ${encoder.spec.arch} width ${encoder.spec.width}, eval mode; input 'images' float32 [batch, ${encoder.spec.inChannels}, ${o.height}, ${o.width}] ${input}; output 'features' float32 [batch, ${dim}]; any batch size\n`,
  );
  return 0;
}

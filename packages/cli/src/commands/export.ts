import { writeFile } from 'node:fs/promises';
import { exportInferenceModel } from '@ltssl/driver-onnx';
import { buildFeatureProgram, loadEncoder } from '@ltssl/experiments';
import { UsageError, type CliIO } from '../io.js';

export interface ExportOptions {
  readonly checkpoint: string;
  readonly format: 'onnx';
  readonly out: string;
  readonly batch: number;
  readonly height: number;
  readonly width: number;
}

/**
 * `ltssl export --checkpoint FILE --format onnx --out encoder.onnx`: the
 * encoder of a checkpoint (ltssl or PyTorch safetensors) as a standalone ONNX
 * inference model: input 'input:x' [batch, C, H, W] (normalised as in
 * training), output 'output:features' [batch, D], eval-mode BatchNorm, the
 * weights as initializers. Written through driver-onnx's export entry point.
 */
export async function exportCommand(io: CliIO, o: ExportOptions): Promise<number> {
  for (const [flag, value] of [['--batch', o.batch], ['--height', o.height], ['--width', o.width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  }
  const encoder = await loadEncoder(o.checkpoint);
  const program = buildFeatureProgram(encoder.spec, o.batch, o.height, o.width);
  const bytes = await exportInferenceModel(program, { readState: async () => encoder.state });
  await writeFile(o.out, bytes);
  io.stdout.write(
    `wrote ${o.out} (${(bytes.length / 1024).toFixed(0)} KiB): ${encoder.spec.arch} width ${encoder.spec.width}; input 'input:x' float32 [${o.batch}, ${encoder.spec.inChannels}, ${o.height}, ${o.width}] (normalised), output 'output:features' [${o.batch}, D]\n`,
  );
  return 0;
}

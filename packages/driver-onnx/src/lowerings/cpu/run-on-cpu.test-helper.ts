import { hostTensor, type HostTensor } from '@ltssl/core';
import ort from 'onnxruntime-node';

/**
 * Runs a lowered model with one output, 'output:y', on ORT's CPU provider with
 * every graph optimisation, `inputs` fed in the order of `feeds` (the lowering
 * tests' one runner; not part of the driver).
 */
export async function runOnCpu(model: Uint8Array, feeds: readonly { onnx: string }[], inputs: readonly { readonly data: ArrayLike<number>; readonly shape: readonly number[] }[]): Promise<HostTensor> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  try {
    const values = Object.fromEntries(feeds.map((f, i) => [f.onnx, new ort.Tensor('float32', Float32Array.from(inputs[i]!.data), [...inputs[i]!.shape])]));
    const y = (await session.run(values))['output:y']!;
    return hostTensor('float32', [...y.dims], y.data as Float32Array);
  } finally {
    await session.release();
  }
}

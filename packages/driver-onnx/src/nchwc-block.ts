import onnxProto from 'onnx-proto';
import { NCHWC_DOMAIN } from './lowerings/cpu/nchwc-conv.js';
import type { Ort } from './ort-loader.js';

/** ReorderInput of a float32 [1, 4, 1, 1]: it pads the channels up to one NCHWc block. */
function blockProbeModel(): Uint8Array {
  const tensor = (dims: (number | string)[]) => ({ tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } });
  return onnxProto.onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 18 }, { domain: NCHWC_DOMAIN.name, version: NCHWC_DOMAIN.version }],
    graph: {
      name: 'nchwc-block',
      node: [{ opType: 'ReorderInput', domain: NCHWC_DOMAIN.name, input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type: tensor([1, 4, 1, 1]) }],
      output: [{ name: 'y', type: tensor([1, 'blocked', 1, 1]) }],
    },
  }).finish();
}

/**
 * MLAS's NCHWc block size on this machine (16 with AVX-512, 8 with AVX2), asked
 * of ORT itself rather than read off the CPU's flags, so it is the size the
 * kernels will use; undefined where the ORT build has no NCHWc kernels (the
 * CPU profile then keeps ONNX's Conv).
 */
export async function nchwcBlockSize(ort: Ort): Promise<number | undefined> {
  try {
    const session = await ort.InferenceSession.create(blockProbeModel(), { executionProviders: ['cpu'] });
    try {
      const y = (await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) }))['y']!;
      const block = y.dims[1]!;
      return Number.isInteger(block) && block >= 4 ? block : undefined;
    } finally {
      await session.release();
    }
  } catch {
    return undefined;
  }
}

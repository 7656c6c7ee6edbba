import onnxProto from 'onnx-proto';

/** A one-node model (Relu of a float32 [2]) for probing whether a provider starts. */
export function probeModel(): Uint8Array {
  const tensor = { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } };
  return onnxProto.onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 18 }],
    graph: { name: 'probe', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], input: [{ name: 'x', type: tensor }], output: [{ name: 'y', type: tensor }] },
  }).finish();
}

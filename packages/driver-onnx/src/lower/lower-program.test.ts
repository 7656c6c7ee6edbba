import { ProgramBuilder } from '@ltssl/core';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lowerProgram } from './lower-program.js';

/**
 * A step's outputs: w' = w * x (computed by a node), published as an update and as an output;
 * the input x as an output; the slot c updated to itself.
 */
function program() {
  const b = new ProgramBuilder('publish');
  const x = b.input('x', 'float32', [3]);
  const w = b.state({ name: 'w', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 2 }, trainable: true });
  const c = b.state({ name: 'c', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 5 }, trainable: false });
  const next = b.op('mul', [w, x], {});
  b.update('w', next);
  b.output('next', next);
  b.output('x', x);
  b.update('c', c);
  return b.build();
}

describe('lowerProgram publishes outputs', () => {
  const lowered = lowerProgram(program());
  const nodes = onnxProto.onnx.ModelProto.decode(lowered.model).graph!.node!;

  it('renames a computed value to its first output name, with an Identity only where ONNX needs one', () => {
    // Outputs are published before updates: the Mul writes output:next itself, update:w is the same value a
    // second time, output:x a graph input, update:c a state read.
    expect(nodes.find((n) => n.opType === 'Mul')!.output).toEqual(['output:next']);
    const identities = nodes.filter((n) => n.opType === 'Identity').map((n) => `${n.input![0]} -> ${n.output![0]}`);
    expect(identities.sort()).toEqual(['input:x -> output:x', 'output:next -> update:w', 'state:c -> update:c']);
  });

  it('computes every output and update on ONNX Runtime', async () => {
    const session = await ort.InferenceSession.create(lowered.model, { executionProviders: ['cpu'] });
    const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3]);
    const w = new ort.Tensor('float32', Float32Array.from([2, 2, 2]), [3]);
    const c = new ort.Tensor('float32', Float32Array.from([5, 5, 5]), [3]);
    const out = await session.run({ 'input:x': x, 'state:w': w, 'state:c': c });
    await session.release();
    expect(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array)]))).toEqual({
      'update:w': [2, 4, 6],
      'output:next': [2, 4, 6],
      'output:x': [1, 2, 3],
      'update:c': [5, 5, 5],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { batchNormalize, CounterRng, grad, hostTensor, liveNodes, RNG_STREAMS, Tracer, type BatchNormAffine, type Tensor } from '@ltssl/core';
import { ReferenceDriver } from './reference-driver.js';

/** The textbook composite batchNormalize replaces, differentiated by autodiff op by op. */
function plainNormalize(x: Tensor, axes: readonly number[], eps: number, affine?: BatchNormAffine): { output: Tensor; mean: Tensor } {
  const mean = x.mean(axes, true);
  const centered = x.sub(mean);
  const xhat = centered.div(centered.square().mean(axes, true).add(eps).sqrt());
  return { output: affine ? xhat.mul(affine.scale).add(affine.shift) : xhat, mean };
}

function noise(seed: number, size: number, scale = 1, offset = 0): Float64Array {
  const values = new Float32Array(size);
  new CounterRng(seed, RNG_STREAMS.data, 0).fillNormal(values, offset, scale);
  return Float64Array.from(values);
}

/**
 * d/dx of sum(r * normalise(x)) + sum(q * mean(x)), and with `affine` d/dscale
 * and d/dshift too: the mean's second use checks that only the path through
 * the closed-form output is replaced.
 */
async function gradients(normalise: typeof plainNormalize, shape: number[], axes: number[], affine = false): Promise<{ y: Float64Array; grads: Float64Array[] }> {
  const t = new Tracer('bn');
  const x = t.input('x', 'float64', shape);
  const r = t.input('r', 'float64', shape);
  const statShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const q = t.input('q', 'float64', statShape);
  const scale = t.input('scale', 'float64', statShape);
  const shift = t.input('shift', 'float64', statShape);
  const { output, mean } = normalise(x, axes, 1e-5, affine ? { scale, shift } : undefined);
  const grads = grad(output.mul(r).sum().add(mean.mul(q).sum()), affine ? [x, scale, shift] : [x]);
  t.output('y', output);
  grads.forEach((g, i) => t.output(`g${i}`, g!));
  const driver = new ReferenceDriver();
  await driver.init();
  const executable = await driver.compile(t.build());
  const size = shape.reduce((a, b) => a * b, 1);
  const statSize = statShape.reduce((a, b) => a * b, 1);
  const out = await executable.run({
    x: hostTensor('float64', shape, noise(1, size, 3, 0.5)),
    r: hostTensor('float64', shape, noise(2, size)),
    q: hostTensor('float64', statShape, noise(3, statSize)),
    scale: hostTensor('float64', statShape, noise(4, statSize, 1, 1)),
    shift: hostTensor('float64', statShape, noise(5, statSize)),
  });
  await driver.dispose();
  return { y: out.y!.data as Float64Array, grads: grads.map((_, i) => out[`g${i}`]!.data as Float64Array) };
}

describe('batchNormalize (closed-form gradient)', () => {
  for (const [shape, axes] of [
    [[4, 3, 5, 2], [0, 2, 3]],
    [[6, 5], [0]],
    [[2, 3, 4, 3, 2], [0, 3, 4]], // SplitBatchNorm's grouped layout
  ] as const) {
    for (const affine of [false, true]) {
      it(`matches autodiff through the plain composite${affine ? ' with scale and shift (dx, dscale, dshift)' : ''}, shape [${shape.join(', ')}] over axes [${axes.join(', ')}]`, async () => {
        const fused = await gradients(batchNormalize, [...shape], [...axes], affine);
        const plain = await gradients(plainNormalize, [...shape], [...axes], affine);
        fused.y.forEach((v, i) => expect(Math.abs(v - plain.y[i]!)).toBeLessThan(1e-12));
        expect(fused.grads).toHaveLength(affine ? 3 : 1);
        fused.grads.forEach((g, k) => {
          const scale = Math.max(...plain.grads[k]!.map(Math.abs));
          g.forEach((v, i) => expect(Math.abs(v - plain.grads[k]![i]!), `input ${k}, element ${i}`).toBeLessThan(1e-12 * scale));
        });
      });
    }
  }

  it('passes over the activation four times forward and five times backward, scale and shift included', () => {
    // The activation-sized element-wise nodes of a step through it: x - mean, its square and one product and
    // one sum for scale / std and shift forward; g (x - mean), g a, two sums and one product for dx backward.
    const t = new Tracer('passes');
    const x = t.input('x', 'float32', [8, 4, 6, 6]);
    const scale = t.input('scale', 'float32', [1, 4, 1, 1]);
    const shift = t.input('shift', 'float32', [1, 4, 1, 1]);
    const r = t.input('r', 'float32', [8, 4, 6, 6]);
    const { output } = batchNormalize(x, [0, 2, 3], 1e-5, { scale, shift });
    const [dx, dscale, dshift] = grad(output.mul(r).sum(), [x, scale, shift]);
    t.output('y', output);
    [dx, dscale, dshift].forEach((g, i) => t.output(`g${i}`, g!));
    const program = t.build();
    const passes = (ids: number[]) => ids.map((id) => program.graph.node(id)).filter((n) => n.kind === 'op' && ['add', 'sub', 'mul'].includes(n.op) && n.shape.join() === '8,4,6,6');
    const forward = passes(liveNodes(program.graph, [program.outputs[0]!.node]));
    const all = passes(liveNodes(program.graph, program.outputs.map((o) => o.node)));
    expect(forward).toHaveLength(4);
    // The cotangent of the output, r times the sum's broadcast one, is one more product, outside batchNormalize.
    expect(all.length - forward.length - 1).toBe(5);
  });

  it('refuses a gradient with respect to a node inside it', () => {
    const t = new Tracer('inside');
    const x = t.input('x', 'float32', [4, 2]);
    const { output, variance } = batchNormalize(x, [0], 1e-5);
    expect(() => grad(output.sum(), [variance])).toThrow(/^vjp: node \d+ is inside batchNormalize, whose gradient is computed in closed form/);
    // Its input and output are fine.
    expect(() => grad(output.square().sum(), [x, output])).not.toThrow();
  });
});

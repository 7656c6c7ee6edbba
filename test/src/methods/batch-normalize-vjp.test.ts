import { batchNormalize, grad, hostTensor, Tracer, type Tensor } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * batchNormalize's closed-form gradient, with and without the affine scale and
 * shift, against autodiff through the same composite written in primitives,
 * in float64 on the reference driver: d/dx, d/dscale and d/dshift of
 * sum(y * r) for a fixed r.
 */
const driver = new ReferenceDriver();
beforeAll(() => driver.init());
afterAll(() => driver.dispose());

const SHAPE = [4, 3, 2, 2];
const AXES = [0, 2, 3];
const EPS = 1e-5;
const values = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3) * (1 + (i % 5)));

/** The composite itself, no custom gradient: autodiff differentiates every primitive. */
function composite(x: Tensor, scale?: Tensor, shift?: Tensor): Tensor {
  const mean = x.mean(AXES, true);
  const centered = x.sub(mean);
  const xhat = centered.div(centered.square().mean(AXES, true).add(EPS).sqrt());
  return scale && shift ? xhat.mul(scale).add(shift) : xhat;
}

async function gradients(affine: boolean, closedForm: boolean): Promise<Float64Array[]> {
  const tracer = new Tracer(`bn-vjp-${affine}-${closedForm}`);
  const x = tracer.input('x', 'float64', SHAPE);
  const scale = tracer.input('scale', 'float64', [1, 3, 1, 1]);
  const shift = tracer.input('shift', 'float64', [1, 3, 1, 1]);
  const r = tracer.input('r', 'float64', SHAPE);
  const y = closedForm ? batchNormalize(x, AXES, EPS, affine ? { scale, shift } : undefined).output : composite(x, affine ? scale : undefined, affine ? shift : undefined);
  const wrt = affine ? [x, scale, shift] : [x];
  grad(y.mul(r).sum(), wrt).forEach((g, i) => tracer.output(`g${i}`, g));
  const executable = await driver.compile(tracer.build());
  const size = SHAPE.reduce((a, b) => a * b, 1);
  const out = await executable.run({
    x: hostTensor('float64', SHAPE, values(size, 0.7)),
    scale: hostTensor('float64', [1, 3, 1, 1], [1.5, -0.5, 2]),
    shift: hostTensor('float64', [1, 3, 1, 1], [0.1, 0.2, -0.3]),
    r: hostTensor('float64', SHAPE, values(size, 1.3)),
  });
  executable.dispose();
  return wrt.map((_, i) => out[`g${i}`]!.data as Float64Array);
}

describe('batchNormalize: the closed-form gradient is autodiff’s', () => {
  for (const affine of [false, true]) {
    it(affine ? 'with scale and shift: dx, dscale and dshift' : 'normalisation only: dx', async () => {
      const [closed, auto] = [await gradients(affine, true), await gradients(affine, false)];
      expect(closed).toHaveLength(affine ? 3 : 1);
      closed.forEach((g, k) => g.forEach((v, i) => expect(v, `input ${k}, element ${i}`).toBeCloseTo(auto[k]![i]!, 9)));
    });
  }
});

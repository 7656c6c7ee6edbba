import {
  CounterRng,
  hostTensor,
  RNG_STREAMS,
  sizeOf,
  singleOpProgram,
  toHostTensor,
  Tracer,
  vjp,
  type AttrsOf,
  type HostTensor,
  type OpCaseTensor,
  type OpName,
} from '@ltssl/core';
import type { ReferenceDriver } from '@ltssl/driver-reference';
import { vjpCases } from '../cases/vjp-cases.js';
import type { GeneratedCase } from '../cases/generated-cases.js';
import { fail, type Check } from '../check.js';
import { VJP_TOLERANCE } from '../tolerances.js';

function direction(shape: readonly number[], seed: number, step: number): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  new CounterRng(seed, RNG_STREAMS.data, step).fillNormal(out);
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

async function forward(reference: ReferenceDriver, c: GeneratedCase, inputs: readonly OpCaseTensor[]): Promise<HostTensor> {
  const executable = await reference.compile(singleOpProgram(c.op, inputs, c.attrs));
  try {
    return (await executable.run(Object.fromEntries(inputs.map((t, i) => [`x${i}`, toHostTensor(t)])))).y!;
  } finally {
    executable.dispose();
  }
}

/** The op's VJP, traced by core's autodiff and run on the float64 reference: one cotangent per input. */
async function cotangents(reference: ReferenceDriver, c: GeneratedCase, v: Float64Array): Promise<HostTensor[]> {
  const tracer = new Tracer(`vjp:${c.op}`);
  const xs = c.inputs.map((t, i) => tracer.input(`x${i}`, 'float64', t.shape));
  const y = tracer.op(c.op, xs, c.attrs as AttrsOf<OpName>);
  const g = tracer.input('v', 'float64', y.shape);
  vjp([y], [g], xs).forEach((gi, i) => tracer.output(`g${i}`, gi));
  const executable = await reference.compile(tracer.build());
  try {
    const feeds = Object.fromEntries(c.inputs.map((t, i) => [`x${i}`, toHostTensor(t)]));
    const out = await executable.run({ ...feeds, v: hostTensor('float64', y.shape, v) });
    return c.inputs.map((_, i) => out[`g${i}`]!);
  } finally {
    executable.dispose();
  }
}

/**
 * <J^T v, u> from core's VJP rule against central differences
 * <v, (f(x + h u) - f(x - h u)) / 2h> along random directions u, v, in float64
 * on the reference driver. The check is of core's autodiff, so it runs on the
 * reference whichever driver is under test.
 */
export function vjpChecks(): Check[] {
  return vjpCases().map((c, index) => ({
    id: `vjp/${c.op}/${c.name}`,
    run: async ({ reference }) => {
      const us = c.inputs.map((t, i) => direction(t.shape, 1000 + index, i));
      const shifted = (sign: number): OpCaseTensor[] =>
        c.inputs.map((t, i) => ({ dtype: 'float64', shape: t.shape, data: t.data.map((x, k) => x + sign * VJP_TOLERANCE.h * us[i]![k]!) }));
      const y = await forward(reference, c, c.inputs);
      const v = direction(y.shape, 2000 + index, 0);
      const grads = await cotangents(reference, c, v);
      const analytic = grads.reduce((s, g, i) => s + dot(g.data, us[i]!), 0);
      if (c.op === 'stopGradient') {
        if (analytic !== 0) fail(`stopGradient must pass no gradient, got <J^T v, u> = ${analytic}`);
        return;
      }
      const plus = await forward(reference, c, shifted(1));
      const minus = await forward(reference, c, shifted(-1));
      let fd = 0;
      for (let k = 0; k < v.length; k++) fd += (v[k]! * (plus.data[k]! - minus.data[k]!)) / (2 * VJP_TOLERANCE.h);
      const allowed = VJP_TOLERANCE.atol + VJP_TOLERANCE.rtol * Math.abs(fd);
      if (!(Math.abs(fd - analytic) <= allowed)) {
        fail(`${c.op} '${c.name}': finite differences give ${fd.toPrecision(10)}, the VJP gives ${analytic.toPrecision(10)} (|diff| ${Math.abs(fd - analytic).toExponential(2)} > ${allowed.toExponential(2)})`);
      }
    },
  }));
}

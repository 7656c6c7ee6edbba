import type { Tensor } from '../trace/tensor.js';

/**
 * A closed-form gradient for a node computed by a composite of primitives:
 * when reverse mode reaches `output` with cotangent g, it adds
 * `backward(g)[k]` to input k's cotangent instead of differentiating the
 * composite's own nodes one by one. The composite's other nodes still carry
 * cotangents that reach them another way (e.g. a batch mean used elsewhere),
 * so only the path through `output` is replaced, and the result stays exact.
 */
export interface CustomVjp {
  readonly inputs: readonly Tensor[];
  /**
   * The ids of the composite's nodes strictly between its inputs and its
   * output: [from, output). The gradient with respect to one of them cannot be
   * taken (the closed form skips them), and asking for it is an error.
   */
  readonly internalFrom: number;
  readonly name: string;
  readonly backward: (g: Tensor) => readonly (Tensor | undefined)[];
}

/**
 * Traces `forward` (a composite of primitives over `inputs`) and attaches
 * `backward` as its gradient: `backward(g)` returns d<output, g>/d(input k)
 * for each input, written in primitives. It must be the exact derivative of
 * what `forward` computes; a test should compare it with the composite's
 * own autodiff. Used where autodiff's generic chain makes many more passes
 * over large tensors than the closed form (BatchNorm).
 */
export function withCustomVjp<T extends { readonly output: Tensor }>(
  name: string,
  inputs: readonly Tensor[],
  forward: () => T,
  backward: (g: Tensor, traced: T) => readonly (Tensor | undefined)[],
): T {
  const tracer = inputs[0]!.tracer;
  const internalFrom = tracer.graph.nodes.length;
  const traced = forward();
  if (traced.output.id < internalFrom) throw new Error(`withCustomVjp(${name}): the output must be a node the composite creates`);
  tracer.setCustomVjp(traced.output.id, { inputs, internalFrom, name, backward: (g) => backward(g, traced) });
  return traced;
}

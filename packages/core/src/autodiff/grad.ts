import { isFloatDType } from '../ir/dtype.js';
import { formatShape, shapesEqual } from '../ir/shape.js';
import type { AttrsOf, OpName } from '../ops/registry.js';
import { Tensor } from '../trace/tensor.js';
import { VJPS } from './vjp/registry.js';
import type { VjpRule } from './vjp/vjp-rule.js';

/**
 * Reverse-mode autodiff over the traced graph: appends the backward ops to the
 * same graph and returns d<outputs, cotangents>/d(wrt), one tensor per `wrt`.
 * `wrt` may be any float node: parameters, or an intermediate activation (Grad-CAM).
 * A `wrt` the outputs do not depend on gets zeros.
 */
export function vjp(outputs: readonly Tensor[], cotangents: readonly Tensor[], wrt: readonly Tensor[]): Tensor[] {
  if (outputs.length === 0) throw new Error('vjp: needs at least one output');
  if (outputs.length !== cotangents.length) throw new Error(`vjp: ${outputs.length} outputs but ${cotangents.length} cotangents`);
  const tracer = outputs[0]!.tracer;
  const graph = tracer.graph;
  outputs.forEach((y, i) => {
    const g = cotangents[i]!;
    if (!isFloatDType(y.dtype)) throw new Error(`vjp: output ${i} is ${y.dtype}; only float outputs have gradients`);
    if (g.dtype !== y.dtype || !shapesEqual(g.shape, y.shape)) {
      throw new Error(`vjp: cotangent ${i} is ${g.dtype}${formatShape(g.shape)} but output ${i} is ${y.dtype}${formatShape(y.shape)}`);
    }
  });
  for (const w of wrt) {
    if (w.tracer !== tracer) throw new Error('vjp: a wrt tensor belongs to another trace');
    if (!isFloatDType(w.dtype)) throw new Error(`vjp: cannot differentiate with respect to a ${w.dtype} tensor (node ${w.id})`);
  }

  const last = Math.max(...outputs.map((y) => y.id));
  // Nodes that depend on some wrt (forward sweep) and that some output depends on (backward sweep).
  const fromWrt = new Uint8Array(last + 1);
  for (const w of wrt) if (w.id <= last) fromWrt[w.id] = 1;
  for (let id = 0; id <= last; id++) {
    const node = graph.node(id);
    if (node.kind === 'op' && node.inputs.some((i) => fromWrt[i])) fromWrt[id] = 1;
  }
  const cotangent = new Map<number, Tensor>();
  const accumulate = (id: number, g: Tensor): void => {
    const previous = cotangent.get(id);
    cotangent.set(id, previous ? previous.add(g) : g);
  };
  outputs.forEach((y, i) => fromWrt[y.id] && accumulate(y.id, cotangents[i]!));

  // A wrt inside a composite with a closed-form gradient would silently get none through its output.
  for (let id = 0; id <= last; id++) {
    const custom = tracer.customVjp(id);
    const inside = custom && wrt.find((w) => w.id >= custom.internalFrom && w.id < id);
    if (inside) throw new Error(`vjp: node ${inside.id} is inside ${custom.name}, whose gradient is computed in closed form from its inputs; differentiate with respect to its input or its output instead`);
  }

  for (let id = last; id >= 0; id--) {
    const g = cotangent.get(id);
    const node = graph.node(id);
    if (!g || node.kind !== 'op') continue;
    const custom = tracer.customVjp(id);
    if (custom) {
      const grads = tracer.scope(`grad(${custom.name})`, () => custom.backward(g));
      custom.inputs.forEach((input, k) => {
        const gi = grads[k];
        if (gi && fromWrt[input.id] && isFloatDType(input.dtype)) accumulate(input.id, gi);
      });
      continue;
    }
    const rule = VJPS[node.op];
    if ('notDifferentiable' in rule) continue;
    const inputs = node.inputs.map((i) => new Tensor(tracer, i));
    const grads = tracer.scope(`grad(${node.label ?? node.op})`, () =>
      (rule as VjpRule<OpName>)({ g, inputs, y: new Tensor(tracer, id), attrs: node.attrs as AttrsOf<OpName> }),
    );
    node.inputs.forEach((input, k) => {
      const gi = grads[k];
      if (gi && fromWrt[input] && isFloatDType(graph.node(input).dtype)) accumulate(input, gi);
    });
  }
  return wrt.map((w) => cotangent.get(w.id) ?? tracer.zerosLike(w));
}

/** d(loss)/d(wrt) for a scalar loss. */
export function grad(loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  if (loss.rank !== 0) throw new Error(`grad: the loss must be a scalar, got shape ${formatShape(loss.shape)}; reduce it first`);
  return vjp([loss], [loss.tracer.constant(1, loss.dtype)], wrt);
}

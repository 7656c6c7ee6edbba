import { ProgramBuilder, type Program } from '@ltssl/core';

/**
 * `train`: w <- w - lr * x and steps <- steps + 1, outputs loss = sum(w * x) (of the pre-step w)
 * and x_again (an input passed through). `predict`: y = sum(w * x), reading w as shared state.
 */
export function linearPrograms(): { train: Program; predict: Program } {
  const w = { name: 'w', dtype: 'float32', shape: [3], init: { kind: 'values', values: [1, 1, 1] }, trainable: true } as const;
  const t = new ProgramBuilder('train');
  const tx = t.input('x', 'float32', [3]); // [3]
  const lr = t.input('lr', 'float32', []); // []
  const tw = t.state(w); // [3]
  const steps = t.state({ name: 'steps', dtype: 'int32', shape: [], init: { kind: 'fill', value: 0 }, trainable: false });
  t.update('w', t.op('sub', [tw, t.op('mul', [lr, tx], {})], {}));
  t.update('steps', t.op('add', [steps, t.op('constant', [], { dtype: 'int32', shape: [], value: 1 })], {}));
  t.output('loss', t.op('reduceSum', [t.op('mul', [tw, tx], {})], { axes: [0], keepDims: false })); // []
  t.output('x_again', tx);
  const p = new ProgramBuilder('predict');
  const px = p.input('x', 'float32', [3]);
  p.output('y', p.op('reduceSum', [p.op('mul', [p.state(w), px], {})], { axes: [0], keepDims: false })); // []
  return { train: t.build(), predict: p.build() };
}

/** a <- b and b <- a: right only when every update reads pre-step values. Outputs a (pre-step). */
export function swapProgram(): Program {
  const b = new ProgramBuilder('swap');
  const a = b.state({ name: 'a', dtype: 'float32', shape: [2], init: { kind: 'values', values: [1, 2] }, trainable: false });
  const c = b.state({ name: 'b', dtype: 'float32', shape: [2], init: { kind: 'values', values: [3, 4] }, trainable: false });
  b.update('a', c);
  b.update('b', a);
  b.output('a', a);
  return b.build();
}

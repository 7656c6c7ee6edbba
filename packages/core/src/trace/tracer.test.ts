import { describe, expect, it } from 'vitest';
import { Conv2d } from '../nn/conv2d.js';
import { bindModel } from '../nn/variables.js';
import { Tracer } from './tracer.js';

describe('Tracer', () => {
  it("labels a failing node with the module path, so the error says where", () => {
    const t = new Tracer('labels');
    const conv = new Conv2d(5, 4, { kernelSize: 3, padding: 1 });
    const vars = bindModel(t, conv, { seed: 0, prefix: 'encoder.conv1.' });
    const x = t.input('x', 'float32', [2, 3, 8, 8]);
    expect(() => t.scope('encoder', () => t.scope('conv1', () => conv.apply(vars, x, { training: true, prefix: 'encoder.conv1.' })))).toThrow(
      "conv2d(float32[2,3,8,8], float32[4,5,3,3]) at 'encoder.conv1': channels differ",
    );
  });

  it('lifts numbers to scalar constants of the tensor dtype', () => {
    const t = new Tracer('lift');
    const x = t.input('x', 'float64', [2]);
    const y = x.mul(2).add(1);
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([2]);
  });

  it('keeps tensors of one trace out of another', () => {
    const a = new Tracer('a').input('x', 'float32', [1]);
    const b = new Tracer('b').input('x', 'float32', [1]);
    expect(() => a.add(b)).toThrow("an input belongs to another trace ('b')");
  });
});

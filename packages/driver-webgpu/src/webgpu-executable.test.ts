import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder, type Program } from '@ltssl/core';
import { WebGpuDriver } from './webgpu-driver.js';
import { WebGpuExecutable } from './webgpu-executable.js';

let driver: WebGpuDriver;
beforeAll(async () => {
  driver = new WebGpuDriver();
  await driver.init();
});
afterAll(() => driver.dispose());

/** w <- w - lr * x and steps <- steps + 1 in one program, y = sum(w * x) in another, sharing w. */
function programs(): { train: Program; predict: Program } {
  const w = { name: 'w', dtype: 'float32', shape: [3], init: { kind: 'values', values: [1, 1, 1] }, trainable: true } as const;
  const t = new ProgramBuilder('train');
  const tx = t.input('x', 'float32', [3]);
  const lr = t.input('lr', 'float32', []);
  const tw = t.state(w);
  const steps = t.state({ name: 'steps', dtype: 'int32', shape: [], init: { kind: 'fill', value: 0 }, trainable: false });
  t.update('w', t.op('sub', [tw, t.op('mul', [lr, tx], {})], {}));
  t.update('steps', t.op('add', [steps, t.op('constant', [], { dtype: 'int32', shape: [], value: 1 })], {}));
  t.output('loss', t.op('reduceSum', [t.op('mul', [tw, tx], {})], { axes: [0], keepDims: false }));
  t.output('x_again', tx);
  t.output('w_before', tw);
  const p = new ProgramBuilder('predict');
  const px = p.input('x', 'float32', [3]);
  p.output('y', p.op('reduceSum', [p.op('mul', [p.state(w), px], {})], { axes: [0], keepDims: false }));
  return { train: t.build(), predict: p.build() };
}

describe('WebGpuExecutable', () => {
  it('runs a step, commits updates after it, shares state and fetches subsets', async () => {
    const { train, predict } = programs();
    const trainer = await driver.compile(train);
    const predictor = await driver.compile(predict, { shareState: trainer });
    const x = hostTensor('float32', [3], [1, 2, 3]);
    const lr = hostTensor('float32', [], [0.5]);
    const first = await trainer.run({ x, lr });
    expect(first.loss!.data[0]).toBe(6);
    expect(Array.from(first.x_again!.data)).toEqual([1, 2, 3]);
    // A fetched slot shows its pre-step value, whatever the update wrote after.
    expect(Array.from(first.w_before!.data)).toEqual([1, 1, 1]);
    expect(Object.keys(await trainer.run({ x, lr }, ['loss']))).toEqual(['loss']);
    const state = await trainer.readState();
    expect(Array.from(state.w!.data)).toEqual([0, -1, -2]);
    expect(state.steps!.data[0]).toBe(2);
    expect((await predictor.run({ x })).y!.data[0]).toBe(-8);
    await predictor.writeState({ w: hostTensor('float32', [3], [2, 0, 0]) });
    expect((await trainer.run({ x, lr }, [])).constructor).toBe(Object);
    expect((await predictor.run({ x })).y!.data[0]).toBeCloseTo(2 - 0.5 - 2 - 4.5, 6);
    trainer.dispose();
    // The shared slot lives until the last executable using it is disposed.
    expect((await predictor.run({ x })).y!.data[0]).toBeCloseTo(2 - 0.5 - 2 - 4.5, 6);
    predictor.dispose();
    await expect(predictor.run({ x })).rejects.toThrow("program 'predict' was disposed on driver 'webgpu'");
  });

  it('commits a swap of two slots from their pre-step values', async () => {
    const b = new ProgramBuilder('swap');
    const p = b.state({ name: 'p', dtype: 'float32', shape: [2], init: { kind: 'values', values: [1, 2] }, trainable: false });
    const q = b.state({ name: 'q', dtype: 'float32', shape: [2], init: { kind: 'values', values: [3, 4] }, trainable: false });
    b.update('p', q);
    b.update('q', p);
    const swap = await driver.compile(b.build());
    await swap.run({});
    const state = await swap.readState();
    expect([Array.from(state.p!.data), Array.from(state.q!.data)]).toEqual([[3, 4], [1, 2]]);
    swap.dispose();
  });

  it('reuses pool buffers by lifetime: a chain of ops needs two slots, not one per op', async () => {
    const b = new ProgramBuilder('chain');
    let v = b.input('x', 'float32', [1024]);
    for (let i = 0; i < 10; i++) v = b.op('exp', [b.op('neg', [v], {})], {});
    b.output('y', v);
    const chain = (await driver.compile(b.build())) as WebGpuExecutable;
    const y = (await chain.run({ x: hostTensor('float32', [1024]) })).y!;
    // exp(-exp(-...exp(-0))) ten times, computed on the host in float64.
    let expected = 0;
    for (let i = 0; i < 10; i++) expected = Math.exp(-expected);
    expect(y.data[1023]).toBeCloseTo(expected, 5);
    expect(chain.poolBytes).toBe(2 * 1024 * 4);
    chain.dispose();
  });

  it('compiles each kernel variant once, whatever the shapes', async () => {
    const ctx = driver.context!;
    const add = async (shape: number[]): Promise<void> => {
      const b = new ProgramBuilder('add');
      b.output('y', b.op('add', [b.input('a', 'float32', shape), b.input('b', 'float32', shape)], {}));
      (await driver.compile(b.build())).dispose();
    };
    await add([5]);
    const before = ctx.pipelineCount;
    await add([7, 9]);
    await add([2, 3, 4, 5]);
    expect(ctx.pipelineCount).toBe(before);
  });

  it('refuses float64 at compile time, naming the node', async () => {
    const b = new ProgramBuilder('wide');
    b.output('y', b.op('exp', [b.input('x', 'float64', [2])], {}));
    const error = await driver.compile(b.build()).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.dtypeUnsupported)).toBe(true);
    expect((error as Error).message).toBe("driver 'webgpu' does not compute in float64 (WGSL has no 64-bit floats): node 0 of program 'wide' (x) is float64[2]; use float32");
  });

  it('checks feeds like every driver and needs init before compile', async () => {
    const trainer = await driver.compile(programs().train);
    await expect(trainer.run({ x: hostTensor('float32', [3]) })).rejects.toThrow("program 'train': missing feed 'lr' (float32[])");
    trainer.dispose();
    await expect(new WebGpuDriver().compile(programs().train)).rejects.toThrow("driver 'webgpu' is not initialised");
  });

  it('handles empty tensors without dispatching', async () => {
    const b = new ProgramBuilder('empty');
    const x = b.input('x', 'float32', [4, 5]);
    b.output('y', b.op('slice', [x], { begin: [1, 0], size: [0, 5] }));
    b.output('z', b.op('concat', [b.op('slice', [x], { begin: [0, 0], size: [0, 5] }), x], { axis: 0 }));
    const empty = await driver.compile(b.build());
    const data = Array.from({ length: 20 }, (_, i) => i);
    const out = await empty.run({ x: hostTensor('float32', [4, 5], data) });
    expect(out.y!.shape).toEqual([0, 5]);
    expect(Array.from(out.z!.data)).toEqual(data);
    empty.dispose();
  });
});

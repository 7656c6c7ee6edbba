import { describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder, type Program } from '@ltssl/core';
import { OnnxDriver } from './onnx-driver.js';

async function started(): Promise<OnnxDriver> {
  const driver = new OnnxDriver();
  await driver.init();
  return driver;
}

/** w <- w - lr * x in one program, y = sum(w * x) in another, sharing w. */
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
  const p = new ProgramBuilder('predict');
  const px = p.input('x', 'float32', [3]);
  p.output('y', p.op('reduceSum', [p.op('mul', [p.state(w), px], {})], { axes: [0], keepDims: false }));
  return { train: t.build(), predict: p.build() };
}

describe('OnnxExecutable', () => {
  it('runs the step as one session, commits updates, shares state and fetches subsets', async () => {
    const driver = await started();
    const { train, predict } = programs();
    const trainer = await driver.compile(train);
    const predictor = await driver.compile(predict, { shareState: trainer });
    const x = hostTensor('float32', [3], [1, 2, 3]);
    const lr = hostTensor('float32', [], [0.5]);
    const first = await trainer.run({ x, lr });
    expect(first.loss!.data[0]).toBe(6);
    expect(Array.from(first.x_again!.data)).toEqual([1, 2, 3]);
    expect(Object.keys(await trainer.run({ x, lr }, ['loss']))).toEqual(['loss']);
    const state = await trainer.readState();
    expect(Array.from(state.w!.data)).toEqual([0, -1, -2]);
    expect(state.steps!.data[0]).toBe(2);
    expect((await predictor.run({ x })).y!.data[0]).toBe(-8);
    await predictor.writeState({ w: hostTensor('float32', [3], [2, 0, 0]) });
    expect((await trainer.run({ x, lr }, ['loss'])).loss!.data[0]).toBe(2);
    trainer.dispose();
    expect((await predictor.run({ x })).y!.data[0]).toBeCloseTo(2 - 0.5 - 2 - 4.5, 6);
    predictor.dispose();
    await expect(predictor.run({ x })).rejects.toThrow("program 'predict' was disposed on driver 'onnx'");
  });

  it('refuses float64 with the node and the reason', async () => {
    const b = new ProgramBuilder('wide');
    b.output('y', b.op('exp', [b.input('x', 'float64', [2])], {}));
    const error = await (await started()).compile(b.build()).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.dtypeUnsupported)).toBe(true);
    expect((error as Error).message).toMatch(/^driver 'onnx' does not compute in float64 \(ONNX Runtime has no float64 Conv kernels\): node 0 of program 'wide' \(x\) is float64\[2\]; use float32$/);
  });

  it('checks feeds like every driver and needs init before compile', async () => {
    const driver = await started();
    const trainer = await driver.compile(programs().train);
    await expect(trainer.run({ x: hostTensor('float32', [3]) })).rejects.toThrow("program 'train': missing feed 'lr' (float32[])");
    await expect(new OnnxDriver().compile(programs().train)).rejects.toThrow("driver 'onnx' is not initialised");
  });
});

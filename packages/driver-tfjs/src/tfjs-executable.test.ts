import { describe, expect, it } from 'vitest';
import { CounterRng, ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder, RNG_STREAMS, type Program } from '@ltssl/core';
import { supervisedStep } from '@ltssl/conformance';
import { memory } from '@tensorflow/tfjs-core';
import { KERNELS } from './kernels/registry.js';
import { TfjsDriver } from './tfjs-driver.js';

async function started(options: ConstructorParameters<typeof TfjsDriver>[0] = {}): Promise<TfjsDriver> {
  const driver = new TfjsDriver({ backend: 'tfjs-wasm', ...options });
  await driver.init();
  return driver;
}

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
  const p = new ProgramBuilder('predict');
  const px = p.input('x', 'float32', [3]);
  p.output('y', p.op('reduceSum', [p.op('mul', [p.state(w), px], {})], { axes: [0], keepDims: false }));
  return { train: t.build(), predict: p.build() };
}

/** a <- b, b <- a, both passed through unchanged ops: only right when updates read pre-step values. */
function swapProgram(): Program {
  const b = new ProgramBuilder('swap');
  const a = b.state({ name: 'a', dtype: 'float32', shape: [2], init: { kind: 'values', values: [1, 2] }, trainable: false });
  const c = b.state({ name: 'b', dtype: 'float32', shape: [2], init: { kind: 'values', values: [3, 4] }, trainable: false });
  b.update('a', b.op('stopGradient', [c], {}));
  b.update('b', a);
  b.output('a', a);
  return b.build();
}

function smallCnnFeeds(step: number): Record<string, ReturnType<typeof hostTensor>> {
  const x = new Float32Array(8 * 1 * 8 * 8);
  new CounterRng(1, RNG_STREAMS.data, step).fillNormal(x);
  return { x: hostTensor('float32', [8, 1, 8, 8], x), labels: hostTensor('int32', [8], [0, 1, 2, 3, 0, 1, 2, 3]), lr: hostTensor('float32', [], [0.1]) };
}

describe('TfjsExecutable', () => {
  it('runs a step, commits updates, shares state and fetches subsets', async () => {
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
    expect(state.steps!.dtype).toBe('int32');
    expect(state.steps!.data[0]).toBe(2);
    expect((await predictor.run({ x })).y!.data[0]).toBe(-8);
    await predictor.writeState({ w: hostTensor('float32', [3], [2, 0, 0]) });
    expect((await trainer.run({ x, lr }, ['loss'])).loss!.data[0]).toBe(2);
    trainer.dispose();
    expect((await predictor.run({ x })).y!.data[0]).toBeCloseTo(2 - 0.5 - 2 - 4.5, 6);
    predictor.dispose();
    await expect(predictor.run({ x })).rejects.toThrow("program 'predict' was disposed on driver 'tfjs-wasm'; compile it again");
  });

  it('commits all updates together, from pre-step values', async () => {
    const exec = await (await started()).compile(swapProgram());
    expect(Array.from((await exec.run({})).a!.data)).toEqual([1, 2]);
    const state = await exec.readState();
    expect([Array.from(state.a!.data), Array.from(state.b!.data)]).toEqual([
      [3, 4],
      [1, 2],
    ]);
    exec.dispose();
  });

  it('leaks no tensor across many training steps, and frees everything on dispose', async () => {
    const driver = await started();
    const before = memory().numTensors;
    const exec = await driver.compile(supervisedStep({ encoder: 'small-cnn', width: 4, channels: 1, size: 8, batch: 8, classes: 4, seed: 3 }));
    await exec.run(smallCnnFeeds(0), ['loss']);
    const held = memory().numTensors;
    const losses: number[] = [];
    for (let step = 1; step <= 30; step++) losses.push((await exec.run(smallCnnFeeds(step), ['loss'])).loss!.data[0]!);
    await exec.readState();
    expect(memory().numTensors).toBe(held);
    expect(losses.every(Number.isFinite)).toBe(true);
    exec.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('refuses float64 with the node and the reason', async () => {
    const b = new ProgramBuilder('wide');
    b.output('y', b.op('exp', [b.input('x', 'float64', [2])], {}));
    const error = await (await started()).compile(b.build()).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.dtypeUnsupported)).toBe(true);
    expect((error as Error).message).toBe(
      "driver 'tfjs-wasm' does not compute in float64 (TensorFlow.js has no float64 tensors): node 0 of program 'wide' (x) is float64[2]; use float32",
    );
  });

  it('names an op its kernel table lacks, at compile time', async () => {
    const { exp: _exp, ...withoutExp } = KERNELS;
    const b = new ProgramBuilder('uses-exp');
    b.output('y', b.op('exp', [b.input('x', 'float32', [2])], {}));
    const error = await (await started({ kernels: withoutExp })).compile(b.build()).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.opNotImplemented)).toBe(true);
    expect((error as Error).message).toBe("Op 'exp' not implemented by driver 'tfjs-wasm'");
  });

  it('checks feeds like every driver, needs init before compile, and shares only within one driver', async () => {
    const driver = await started();
    const trainer = await driver.compile(programs().train);
    await expect(trainer.run({ x: hostTensor('float32', [3]) })).rejects.toThrow("program 'train': missing feed 'lr' (float32[])");
    await expect(new TfjsDriver({ backend: 'tfjs-wasm' }).compile(programs().train)).rejects.toThrow("driver 'tfjs-wasm' is not initialised");
    const other = await started();
    const error = await other.compile(programs().predict, { shareState: trainer }).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.executableMisuse)).toBe(true);
    trainer.dispose();
  });
});

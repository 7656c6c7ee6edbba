import { describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder, type Program } from '@ltssl/core';
import { ReferenceDriver } from './reference-driver.js';

async function started(precision?: 'float32' | 'float64'): Promise<ReferenceDriver> {
  const driver = new ReferenceDriver(precision ? { precision } : {});
  await driver.init();
  return driver;
}

/** a <- b, b <- a: only correct when every update reads pre-step values. */
function swapProgram(): Program {
  const b = new ProgramBuilder('swap');
  const a = b.state({ name: 'a', dtype: 'float32', shape: [2], init: { kind: 'values', values: [1, 2] }, trainable: false });
  const c = b.state({ name: 'b', dtype: 'float32', shape: [2], init: { kind: 'values', values: [3, 4] }, trainable: false });
  b.update('a', c);
  b.update('b', a);
  b.output('sum', b.op('reduceSum', [b.op('add', [a, c], {})], { axes: [0], keepDims: false }));
  return b.build();
}

/** A linear model w·x: `train` takes w <- w - lr * x, `predict` reads w through shared state. */
function linearPrograms(): { train: Program; predict: Program } {
  const w = { name: 'w', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 1 }, trainable: true } as const;
  const t = new ProgramBuilder('train');
  const tx = t.input('x', 'float32', [3]);
  const lr = t.input('lr', 'float32', []);
  const tw = t.state(w);
  t.update('w', t.op('sub', [tw, t.op('mul', [lr, tx], {})], {}));
  t.output('loss', t.op('reduceSum', [t.op('mul', [tw, tx], {})], { axes: [0], keepDims: false }));
  const p = new ProgramBuilder('predict');
  const px = p.input('x', 'float32', [3]);
  p.output('y', p.op('reduceSum', [p.op('mul', [p.state(w), px], {})], { axes: [0], keepDims: false }));
  return { train: t.build(), predict: p.build() };
}

describe('ReferenceExecutable', () => {
  it('refuses to share a slot whose type differs, or with another driver', async () => {
    const driver = await started();
    const { train } = linearPrograms();
    const trainer = await driver.compile(train);
    const b = new ProgramBuilder('wrong-w');
    b.output('w', b.state({ name: 'w', dtype: 'float32', shape: [4], init: { kind: 'fill', value: 0 }, trainable: true }));
    await expect(driver.compile(b.build(), { shareState: trainer })).rejects.toThrow(
      "program 'wrong-w': slot 'w' is float32[4] here but float32[3] in the shared executable; rename one or match the types",
    );
    const other = await started();
    const error = await other.compile(linearPrograms().predict, { shareState: trainer }).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.executableMisuse)).toBe(true);
  });

  it('keeps float32 values in float64 by default and rounds them in float32 precision', async () => {
    const build = (): Program => {
      const b = new ProgramBuilder('round');
      const x = b.input('x', 'float32', []);
      const tiny = b.op('constant', [], { dtype: 'float32', shape: [], value: 1e-8 });
      // (x + 1e-8) - x is 1e-8 in float64 and 0 in float32 when x = 1.
      b.output('y', b.op('sub', [b.op('add', [x, tiny], {}), x], {}));
      return b.build();
    };
    const x = hostTensor('float32', [], [1]);
    const wide = await (await started('float64')).compile(build());
    expect((await wide.run({ x })).y!.data[0]).toBeCloseTo(1e-8, 14);
    const narrow = await (await started('float32')).compile(build());
    expect((await narrow.run({ x })).y!.data[0]).toBe(0);
  });

  it('rejects use after dispose and compile before init', async () => {
    const exec = await (await started()).compile(swapProgram());
    exec.dispose();
    await expect(exec.run({})).rejects.toThrow("program 'swap' was disposed on driver 'reference'; compile it again");
    await expect(new ReferenceDriver().compile(swapProgram())).rejects.toThrow('call init() before compile()');
  });

  it('validates writes before touching state', async () => {
    const exec = await (await started()).compile(swapProgram());
    await expect(exec.writeState({ a: hostTensor('float32', [2], [9, 9]), b: hostTensor('float32', [3]) })).rejects.toThrow("state 'b': expected shape [2], got [3]");
    expect(Array.from((await exec.readState(['a'])).a!.data)).toEqual([1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import { CounterRng, ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder, RNG_STREAMS } from '@ltssl/core';
import { supervisedStep } from '@ltssl/conformance';
import { memory } from '@tensorflow/tfjs-core';
import { KERNELS } from './kernels/registry.js';
import { TfjsDriver } from './tfjs-driver.js';

async function started(options: ConstructorParameters<typeof TfjsDriver>[0] = {}): Promise<TfjsDriver> {
  const driver = new TfjsDriver({ backend: 'tfjs-wasm', ...options });
  await driver.init();
  return driver;
}

function smallCnnFeeds(step: number): Record<string, ReturnType<typeof hostTensor>> {
  const x = new Float32Array(8 * 1 * 8 * 8);
  new CounterRng(1, RNG_STREAMS.data, step).fillNormal(x);
  return { x: hostTensor('float32', [8, 1, 8, 8], x), labels: hostTensor('int32', [8], [0, 1, 2, 3, 0, 1, 2, 3]), lr: hostTensor('float32', [], [0.1]) };
}

describe('TfjsExecutable', () => {
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

  // The Executable contract (pre-step outputs, commits, fetch lists, shared state, feed checks) is
  // conformance's 'contract/' section, run on this driver by conformance.test.ts.
  it('needs init before compile, and shares state only within one driver', async () => {
    const b = new ProgramBuilder('probe');
    b.output('w', b.state({ name: 'w', dtype: 'float32', shape: [2], init: { kind: 'fill', value: 1 }, trainable: true }));
    await expect(new TfjsDriver({ backend: 'tfjs-wasm' }).compile(b.build())).rejects.toThrow("driver 'tfjs-wasm' is not initialised");
    const owner = await (await started()).compile(b.build());
    const error = await (await started()).compile(b.build(), { shareState: owner }).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.executableMisuse)).toBe(true);
    owner.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { CounterRng, hostTensor, RNG_STREAMS, type Driver, type Feeds } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildTrainStep, simsiam, supervised, type Method } from '@ltssl/experiments';

const shape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };

function feeds(method: Method, step: number): Feeds {
  const out: Record<string, Feeds[string]> = {};
  const names = method.views === 1 ? ['x'] : ['x1', 'x2'];
  names.forEach((name, v) => {
    const data = new Float32Array(8 * 64);
    new CounterRng(3, RNG_STREAMS.data, step * 4 + v).fillNormal(data);
    out[name] = hostTensor('float32', [8, 1, 8, 8], data);
  });
  if (method.usesLabels) out['labels'] = hostTensor('int32', [8], [0, 1, 2, 3, 3, 2, 1, 0]);
  out['lr'] = hostTensor('float32', [], [0.1]);
  return out;
}

/** Two training steps of `method` on `driver`: the losses. */
async function twoSteps(driver: Driver, method: Method): Promise<number[]> {
  await driver.init();
  const program = buildTrainStep(method, { encoder: { arch: 'small-cnn', width: 4, inChannels: 1 }, shape, seed: 1, momentum: 0.9, weightDecay: 5e-4 });
  const executable = await driver.compile(program);
  const losses: number[] = [];
  for (let step = 0; step < 2; step++) losses.push((await executable.run(feeds(method, step), ['loss'])).loss!.data[0]!);
  executable.dispose();
  await driver.dispose();
  return losses;
}

describe.each([
  ['supervised', supervised()],
  ['simsiam', simsiam({ projectorDim: 16, predictorDim: 8 })],
])('%s: two-step smoke test', (_name, method) => {
  it('runs on the reference and the ONNX driver with the same losses', async () => {
    const reference = await twoSteps(new ReferenceDriver(), method);
    const onnx = await twoSteps(new OnnxDriver(), method);
    for (const loss of [...reference, ...onnx]) expect(Number.isFinite(loss)).toBe(true);
    expect(reference[1]).not.toBe(reference[0]);
    onnx.forEach((loss, i) => expect(Math.abs(loss - reference[i]!)).toBeLessThanOrEqual(1e-4 * Math.abs(reference[i]!)));
  });
});

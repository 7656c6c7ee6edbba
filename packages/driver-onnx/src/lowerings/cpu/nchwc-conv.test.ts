import { supervisedStep } from '@ltssl/conformance';
import { compareTensors, CounterRng, hostTensor, RNG_STREAMS, singleOpProgram, type Attrs, type HostTensor, type OpCase } from '@ltssl/core';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../lower/lower-program.js';
import { loweringProfile } from '../../lower/profiles.js';
import { nchwcBlockSize } from '../../nchwc-block.js';
import { OnnxDriver } from '../../onnx-driver.js';
import { LOWERINGS } from '../registry.js';
import { runOnCpu } from './run-on-cpu.test-helper.js';

/**
 * The CPU profile's convolutions on ORT's NCHWc kernels against ONNX's own Conv
 * and ConvTranspose: the forward conv and dx (by phases) at stride 1 and 2 with
 * channels that fill the machine's blocks, a layer that does not (which keeps
 * ONNX's Conv), and a whole training step of the small CNN at width 16.
 */
const block = await nchwcBlockSize(ort);
/** The comparisons need the kernels: where this ORT build has none, they skip, saying so. */
const withKernels = (title: string, body: () => Promise<void>) =>
  block === undefined ? it.skip(`${title} [skipped: this ONNX Runtime build has no NCHWc kernels; the CPU profile keeps ONNX Conv]`, body) : it(title, body);

function normal(shape: number[], offset: number): HostTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  new CounterRng(7, RNG_STREAMS.data, offset).fillNormal(data);
  return hostTensor('float32', shape, data);
}


const nchwcNodes = (model: Uint8Array): string[] =>
  onnxProto.onnx.ModelProto.decode(model).graph!.node!.filter((n) => n.domain === 'com.microsoft.nchwc').map((n) => n.opType!);

describe('convolutions on ORT’s NCHWc kernels (CPU profile)', () => {
  withKernels('ORT reports a block size MLAS uses', async () => {
    expect([8, 16]).toContain(block);
  });

  const cases: { name: string; op: 'conv2d' | 'conv2dBackpropInput'; inputs: () => HostTensor[]; attrs: Attrs; blocked: boolean }[] = [];
  const b = 16; // a multiple of every block size MLAS uses
  for (const stride of [1, 2]) {
    cases.push({ name: `conv2d, stride ${stride}`, op: 'conv2d', inputs: () => [normal([2, b, 8, 8], 1), normal([2 * b, b, 3, 3], 2)], attrs: { strides: [stride, stride], pads: [1, 1, 1, 1] }, blocked: true });
    cases.push({
      name: `conv2dBackpropInput, stride ${stride}`,
      op: 'conv2dBackpropInput',
      inputs: () => [normal([2, 2 * b, 8 / stride, 8 / stride], 3), normal([2 * b, b, 3, 3], 4)],
      attrs: { strides: [stride, stride], pads: [1, 1, 1, 1], inputShape: [2, b, 8, 8] },
      blocked: true,
    });
  }
  cases.push({ name: 'conv2d with 3 input channels', op: 'conv2d', inputs: () => [normal([2, 3, 8, 8], 5), normal([b, 3, 3, 3], 6)], attrs: { strides: [1, 1], pads: [1, 1, 1, 1] }, blocked: false });

  for (const c of cases) {
    withKernels(`${c.name}: the same values as ONNX's own op${c.blocked ? ', through the NCHWc kernels' : ', left to ONNX Conv'}`, async () => {
      const inputs = c.inputs();
      const program = singleOpProgram(c.op, inputs.map((t) => ({ dtype: 'float32' as const, shape: [...t.shape], data: Array.from(t.data) })) as OpCase['inputs'], c.attrs);
      const blocked = lowerProgram(program, { lowerings: loweringProfile('cpu', { nchwcBlock: block! }) });
      const plain = lowerProgram(program, { lowerings: LOWERINGS });
      expect(nchwcNodes(blocked.model).includes('Conv')).toBe(c.blocked);
      const [got, want] = [await runOnCpu(blocked.model, blocked.feeds, inputs), await runOnCpu(plain.model, plain.feeds, inputs)];
      expect(compareTensors(got, want, { rtol: 1e-4, atol: 1e-4 })).toBeUndefined();
    });
  }

  withKernels('a training step of the small CNN at width 16 gives the same loss and state with NCHWc on and off', async () => {
    const step = supervisedStep({ encoder: 'small-cnn', width: 16, channels: 1, size: 12, batch: 4, classes: 3, seed: 3 });
    const feeds = { x: normal([4, 1, 12, 12], 9), labels: hostTensor('int32', [4], [0, 2, 1, 2]), lr: hostTensor('float32', [], [0.1]) };
    const results = [];
    for (const nchwc of [true, false]) {
      const driver = new OnnxDriver({ nchwc });
      const info = await driver.init();
      expect(info.details['nchwcBlock']).toBe(nchwc ? String(block) : 'off');
      const executable = await driver.compile(step);
      const losses = [];
      for (let i = 0; i < 2; i++) losses.push(((await executable.run(feeds, ['loss']))['loss']!.data as Float32Array)[0]!);
      results.push({ losses, state: await executable.readState() });
      executable.dispose();
      await driver.dispose();
    }
    const [on, off] = results as [(typeof results)[0], (typeof results)[0]];
    expect(on.losses[0]).toBeCloseTo(off.losses[0]!, 4);
    expect(on.losses[1]).toBeCloseTo(off.losses[1]!, 4);
    for (const [name, value] of Object.entries(off.state)) expect(compareTensors(on.state[name]!, value, { rtol: 1e-3, atol: 1e-4 }), name).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { bindModel, hostTensor, SmallCnn, Tracer } from '@ltssl/core';
import { simsiamStep, supervisedStep } from '@ltssl/conformance';
import { KERNELS } from '../kernels/registry.js';
import { TfjsDriver } from '../tfjs-driver.js';
import type { TfjsExecutable } from '../tfjs-executable.js';
import { planLayouts, transposedElements } from './layout-pass.js';
import { HWIO, identity, NHWC } from './perm.js';

const smallCnnStep = (): ReturnType<typeof supervisedStep> => supervisedStep({ encoder: 'small-cnn', width: 4, channels: 3, size: 8, batch: 8, classes: 4, seed: 3 });

describe('the layout pass', () => {
  it('transposes a small CNN training step only where the NCHW batch enters', () => {
    const program = smallCnnStep();
    const plan = planLayouts(program, KERNELS, new Map());
    const transposes = plan.steps.filter((s) => s.kind === 'convert' && s.elements > 0);
    expect(transposes.map((s) => program.graph.node(s.node))).toMatchObject([{ kind: 'input', name: 'x' }]);
    expect(transposedElements(plan)).toBe(8 * 3 * 8 * 8);
    // Filters and their momenta are stored HWIO, so neither the convolutions nor the update transpose them.
    expect(plan.slotPerms.get('encoder.conv2.weight')).toEqual(HWIO);
    expect(plan.slotPerms.get('optimizer.encoder.conv2.weight.momentum_buffer')).toEqual(HWIO);
    expect(plan.slotPerms.get('encoder.bn2.running_mean')).toEqual(identity(1));
    expect(plan.slotPerms.get('head.weight')).toEqual(identity(2));
  });

  it('keeps ResNet-18 and SimSiam steps to their input transposes', () => {
    const resnet = supervisedStep({ encoder: 'resnet18', width: 8, channels: 3, size: 8, batch: 8, classes: 3, seed: 4 });
    expect(transposedElements(planLayouts(resnet, KERNELS, new Map()))).toBe(8 * 3 * 8 * 8);
    // One channel: NCHW and NHWC are the same memory, so nothing moves at all.
    const simsiam = simsiamStep({ width: 4, channels: 1, size: 8, batch: 8, projectorDim: 16, predictorDim: 8, seed: 5 });
    expect(transposedElements(planLayouts(simsiam, KERNELS, new Map()))).toBe(0);
  });

  it('keeps the layouts of slots a shared executable already stores, and reads them back in NCHW', async () => {
    const driver = new TfjsDriver({ backend: 'tfjs-wasm' });
    await driver.init();
    const train = (await driver.compile(smallCnnStep())) as TfjsExecutable;
    const initial = await train.readState(['encoder.conv1.weight']);
    // A feature program binding the same encoder: its filters are read where the train step keeps them.
    const tracer = new Tracer('features');
    const x = tracer.input('x', 'float32', [2, 3, 8, 8]);
    const encoder = new SmallCnn({ inChannels: 3, width: 4 });
    const vars = bindModel(tracer, encoder, { seed: 3, prefix: 'encoder.' });
    tracer.output('features', encoder.apply(vars, x, { training: false, prefix: 'encoder.' }));
    const features = (await driver.compile(tracer.build(), { shareState: train })) as TfjsExecutable;
    expect(features.plan.slotPerms.get('encoder.conv1.weight')).toEqual(HWIO);
    expect(features.plan.steps.flatMap((s) => (s.kind === 'convert' && s.elements > 0 ? [s.to] : []))).toEqual([NHWC]);
    expect(await features.readState(['encoder.conv1.weight'])).toEqual(initial);
    const out = await features.run({ x: hostTensor('float32', [2, 3, 8, 8], Array.from({ length: 384 }, (_, i) => Math.sin(i))) });
    expect(out.features!.shape).toEqual([2, 16]);
    features.dispose();
    train.dispose();
  });
});

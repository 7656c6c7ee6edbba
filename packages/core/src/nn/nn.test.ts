import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialValues, kaimingNormalFanOut, kaimingUniformDefault } from './init.js';
import { predictionMlp, projectionMlp } from './mlp.js';
import { ResNet18 } from './resnet.js';
import { SmallCnn } from './small-cnn.js';
import { bindModel } from './variables.js';
import { Tracer } from '../trace/tracer.js';
import { BatchNorm } from './batch-norm.js';

interface StateDictFixture {
  entries: { name: string; shape: number[]; dtype: string }[];
}

describe('nn modules', () => {
  it("ResNet18 declares torchvision's state_dict names, shapes and order (CIFAR stem, no fc)", () => {
    const fixture = JSON.parse(readFileSync(new URL('../../golden/state-dicts/resnet18-cifar.json', import.meta.url), 'utf8')) as StateDictFixture;
    const specs = new ResNet18({ inChannels: 3, width: 64 }).specs();
    expect(specs.map((s) => ({ name: s.fullName, shape: [...s.shape], dtype: s.dtype }))).toEqual(fixture.entries);
  });

  it('scales ResNet18 and SmallCnn widths and follows the input channels', () => {
    const narrow = new ResNet18({ inChannels: 1, width: 8 });
    expect(narrow.featureDim).toBe(64);
    expect(narrow.specs().find((s) => s.fullName === 'conv1.weight')!.shape).toEqual([8, 1, 3, 3]);
    expect(narrow.specs().find((s) => s.fullName === 'layer4.1.conv2.weight')!.shape).toEqual([64, 64, 3, 3]);
    const cnn = new SmallCnn({ inChannels: 3, width: 16 });
    expect(cnn.featureDim).toBe(64);
    expect(cnn.specs().map((s) => s.fullName).slice(0, 6)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked']);
  });

  it("names SimSiam's heads like nn.Sequential", () => {
    expect(projectionMlp(32, 16, 8).specs().filter((s) => s.trainable).map((s) => s.fullName)).toEqual(['0.weight', '1.weight', '1.bias', '3.weight']);
    expect(predictionMlp(8, 4).specs().filter((s) => s.trainable).map((s) => s.fullName)).toEqual(['0.weight', '1.weight', '1.bias', '3.weight', '3.bias']);
  });

  it("initialises as PyTorch: kaiming_uniform(a=sqrt 5) bounds and torchvision's fan-out normal", () => {
    const uniform = initialValues(kaimingUniformDefault(75), 'conv.weight', [64, 3, 5, 5], 'float32', 1);
    const bound = 1 / Math.sqrt(75);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(bound);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...uniform)).toBeGreaterThan(0.95 * bound);
    const normal = initialValues(kaimingNormalFanOut(64 * 9), 'conv.weight', [64, 64, 3, 3], 'float32', 1);
    const std = Math.sqrt(Array.from(normal).reduce((s, v) => s + v * v, 0) / normal.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 3);
  });

  it('keys initial values by seed and full name only', () => {
    const a = initialValues(kaimingUniformDefault(9), 'a.weight', [4, 9], 'float32', 5);
    expect(initialValues(kaimingUniformDefault(9), 'a.weight', [4, 9], 'float32', 5)).toEqual(a);
    expect(initialValues(kaimingUniformDefault(9), 'b.weight', [4, 9], 'float32', 5)).not.toEqual(a);
    expect(initialValues(kaimingUniformDefault(9), 'a.weight', [4, 9], 'float32', 6)).not.toEqual(a);
  });

  it('chains BatchNorm running statistics when a module is applied twice, and eval mode updates nothing', () => {
    const tracer = new Tracer('two-views');
    const bn = new BatchNorm(3);
    const vars = bindModel(tracer, bn, { seed: 0 });
    const pre = vars.get('running_mean');
    bn.apply(vars, tracer.input('x1', 'float32', [4, 3]), { training: true });
    const afterFirst = vars.get('running_mean');
    bn.apply(vars, tracer.input('x2', 'float32', [4, 3]), { training: true });
    const afterSecond = vars.get('running_mean');
    expect(afterFirst).not.toBe(pre);
    expect(afterSecond).not.toBe(afterFirst);
    // The second update reads the first one's result: running_mean is chained through both views.
    const graph = tracer.graph;
    const readsFirst = (id: number, seen = new Set<number>()): boolean => {
      if (id === afterFirst.id) return true;
      const node = graph.node(id);
      if (node.kind !== 'op' || seen.has(id)) return false;
      seen.add(id);
      return node.inputs.some((i) => readsFirst(i, seen));
    };
    expect(readsFirst(afterSecond.id)).toBe(true);
    expect(vars.changedBuffers().map((b) => b.name)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);

    const evalTracer = new Tracer('eval');
    const evalVars = bindModel(evalTracer, bn, { seed: 0 });
    bn.apply(evalVars, evalTracer.input('x', 'float32', [4, 3]), { training: false });
    expect(evalVars.changedBuffers()).toEqual([]);
  });
});

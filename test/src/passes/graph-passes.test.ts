import { deadState, GRAPH_PASSES, hostTensor, optimizeProgram, type Feeds, type GraphPass, type Program } from '@ltssl/core';
import { seededLabels, seededNormal } from '@ltssl/conformance';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildTrainStep, createMethod, type EncoderSpec, type MethodName } from '@ltssl/experiments';
import { describe, expect, it } from 'vitest';

/**
 * Core's graph passes on the programs they are for: the study's training
 * steps. Each pass leaves fewer nodes in the supervised and SimCLR small-CNN
 * steps and the ResNet-18 step (at the sizes the study runs), and computes
 * the same bits: two carried steps on the reference driver in float32
 * arithmetic (every op rounded to float32, as the folded constants are) from
 * the same state and feeds, before and after the pass.
 */
function step(method: MethodName, encoder: EncoderSpec, size: number, batch: number, passes: readonly GraphPass[]): Program {
  const m = createMethod(method, method === 'simclr' ? { projectorDim: 64, projectorHiddenDim: 256 } : {});
  return buildTrainStep(m, { encoder, shape: { batch, channels: encoder.inChannels, height: size, width: size, classes: 10 }, seed: 0, momentum: 0.9, weightDecay: 5e-4, passes });
}

const TARGETS = [
  { id: 'supervised small CNN (width 16, 28x28, batch 128)', program: (p: readonly GraphPass[]) => step('supervised', { arch: 'small-cnn', width: 16, inChannels: 1 }, 28, 128, p) },
  { id: 'SimCLR small CNN (width 16, 28x28, batch 128)', program: (p: readonly GraphPass[]) => step('simclr', { arch: 'small-cnn', width: 16, inChannels: 1 }, 28, 128, p) },
  // The graph does not depend on the width; width 8 spares initialising 11M weights.
  { id: 'supervised ResNet-18 (32x32, batch 128)', program: (p: readonly GraphPass[]) => step('supervised', { arch: 'resnet18', width: 8, inChannels: 3 }, 32, 128, p) },
];

/** The same steps, small enough for the interpreter. */
const RUNNABLE = [
  { id: 'supervised small CNN', method: 'supervised' as const, encoder: { arch: 'small-cnn' as const, width: 4, inChannels: 1 }, size: 8, batch: 4 },
  { id: 'SimCLR small CNN', method: 'simclr' as const, encoder: { arch: 'small-cnn' as const, width: 4, inChannels: 1 }, size: 8, batch: 4 },
  { id: 'supervised ResNet-18', method: 'supervised' as const, encoder: { arch: 'resnet18' as const, width: 4, inChannels: 3 }, size: 8, batch: 2 },
];

const nodeCount = (p: Program): number => p.graph.nodes.length;

describe('graph passes: fewer nodes on the study steps', () => {
  for (const target of TARGETS) {
    it(target.id, { timeout: 30_000 }, () => {
      const traced = target.program([]);
      // Every rewrite drops unused ops, so each pass is compared with dead-state alone on the same graph.
      const cleaned = nodeCount(deadState.run(traced));
      expect(cleaned).toBeLessThan(nodeCount(traced));
      for (const pass of GRAPH_PASSES.filter((p) => p !== deadState)) {
        expect(nodeCount(deadState.run(pass.run(traced))), pass.name).toBeLessThan(cleaned);
      }
      expect(nodeCount(optimizeProgram(traced))).toBeLessThan(0.9 * nodeCount(traced));
    });
  }
});

async function twoSteps(program: Program, feeds: (step: number) => Feeds): Promise<{ outputs: Record<string, number[]>; state: Record<string, number[]> }> {
  const driver = new ReferenceDriver({ precision: 'float32' });
  await driver.init();
  const executable = await driver.compile(program);
  const outputs: Record<string, number[]> = {};
  for (let s = 0; s < 2; s++) {
    const out = await executable.run({ ...feeds(s), lr: hostTensor('float32', [], [0.1]) });
    for (const [name, value] of Object.entries(out)) outputs[`${name}@${s}`] = Array.from(value.data);
  }
  const state = Object.fromEntries(Object.entries(await executable.readState()).map(([name, value]) => [name, Array.from(value.data)]));
  executable.dispose();
  return { outputs, state };
}

describe('graph passes: the same outputs and state on the reference driver', () => {
  for (const c of RUNNABLE) {
    const feeds = (s: number): Feeds => {
      const x = [c.batch, c.encoder.inChannels, c.size, c.size];
      return c.method === 'simclr' ? { x1: seededNormal(5, x, s, 0), x2: seededNormal(5, x, s, 1) } : { x: seededNormal(5, x, s, 0), labels: seededLabels(5, c.batch, 10, s) };
    };
    it(c.id, { timeout: 60_000 }, async () => {
      const traced = step(c.method, c.encoder, c.size, c.batch, []);
      const expected = await twoSteps(traced, feeds);
      for (const passes of [...GRAPH_PASSES.map((p) => [p]), GRAPH_PASSES]) {
        const got = await twoSteps(optimizeProgram(traced, passes), feeds);
        expect(got, passes.map((p) => p.name).join(' + ')).toEqual(expected);
      }
    });
  }
});

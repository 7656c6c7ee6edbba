import type { Feeds } from '@ltssl/core';
import { byolStep } from '../programs/byol-step.js';
import { mocov2Step } from '../programs/mocov2-step.js';
import { sdclrStep } from '../programs/sdclr-step.js';
import { simsiamStep } from '../programs/simsiam-step.js';
import { supervisedStep } from '../programs/supervised-step.js';
import { hostTensor } from '@ltssl/core';
import { seededLabels, seededNormal, type StepCase } from './step-case.js';

const normalFeed = (shape: number[], step: number, stream: number): Feeds[string] => seededNormal(7, shape, step, stream);
const labelFeed = (batch: number, classes: number, step: number): Feeds[string] => seededLabels(7, batch, classes, step);

/** The conformance suite's whole-step cases ('step/...'), each run on the driver and the reference. */
export const STEP_CASES: readonly StepCase[] = [
  {
    id: 'step/supervised-small-cnn',
    program: () => supervisedStep({ encoder: 'small-cnn', width: 4, channels: 1, size: 8, batch: 8, classes: 4, seed: 3 }),
    feeds: (step) => ({ x: normalFeed([8, 1, 8, 8], step, 0), labels: labelFeed(8, 4, step) }),
    lr: 0.2,
  },
  {
    id: 'step/supervised-resnet18',
    program: () => supervisedStep({ encoder: 'resnet18', width: 8, channels: 3, size: 8, batch: 8, classes: 3, seed: 4 }),
    feeds: (step) => ({ x: normalFeed([8, 3, 8, 8], step, 0), labels: labelFeed(8, 3, step) }),
    // Small: BatchNorm normalises layer4's 1x1 maps over only 8 values, so a large step makes the
    // third update chaotic (measured: the float64 reference restarted from a float32 engine's
    // step-2 weights, relative error 1e-5, lands 1e-2 away from itself at lr 0.2 and 3e-2 at 0.1).
    // At 0.05 every CPU float32 engine agrees within 1e-4 while the weights still move by > 1%.
    lr: 0.05,
    // Still not enough on a GPU (H200, Vulkan): its step-2 state was within 3e-5 of the reference's,
    // yet its third carried step landed 1.6e-2 away (a momentum buffer of layer1), while the same
    // third step restarted from the reference's state agreed within 3.4e-5, as every CPU engine
    // does (tools/gpu-check/step-drift.mjs). So each step is compared from the reference's state.
    fromReferenceEachStep: true,
  },
  {
    id: 'step/simsiam-small-cnn',
    program: () => simsiamStep({ width: 4, channels: 1, size: 8, batch: 8, projectorDim: 16, predictorDim: 8, seed: 5 }),
    feeds: (step) => ({ x1: normalFeed([8, 1, 8, 8], step, 0), x2: normalFeed([8, 1, 8, 8], step, 1) }),
    lr: 0.5,
  },
  {
    // K = 2B: the second step dequeues the last initial rows and the third the first step's keys.
    // lr 0.05 moves the query weights by 27% in 3 steps (the queue and the EMA move the rest of the
    // state whatever the rate); the CPU engines' updates agree within 1e-4 of the reference's.
    id: 'step/mocov2-small-cnn',
    program: () => mocov2Step({ width: 4, channels: 1, size: 8, batch: 8, queueSize: 16, projectorHiddenDim: 16, projectorDim: 8, keyMomentum: 0.9, temperature: 0.2, seed: 6 }),
    feeds: (step) => ({ x1: normalFeed([8, 1, 8, 8], step, 0), x2: normalFeed([8, 1, 8, 8], step, 1) }),
    lr: 0.05,
  },
  {
    // tau is an input, fed a different value each step (0.5, 0.6, 0.7: far from 1, so the average's
    // two terms both move the target and a driver that read tau as a constant would be caught).
    id: 'step/byol-small-cnn',
    program: () => byolStep({ width: 4, channels: 1, size: 8, batch: 8, hiddenDim: 16, projectorDim: 8, seed: 8 }),
    feeds: (step) => ({ x1: normalFeed([8, 1, 8, 8], step, 0), x2: normalFeed([8, 1, 8, 8], step, 1), targetMomentum: hostTensor('float32', [], [0.5 + 0.1 * step]) }),
    lr: 0.2,
  },
  {
    // Masks zero about half of each kernel; the pruned branch's own BatchNorm slots train beside the shared kernels.
    id: 'step/sdclr-small-cnn',
    program: () => sdclrStep({ width: 4, channels: 1, size: 8, batch: 8, hiddenDim: 16, projectorDim: 8, pruned: 0.5, temperature: 0.2, seed: 9 }),
    feeds: (step) => ({ x1: normalFeed([8, 1, 8, 8], step, 0), x2: normalFeed([8, 1, 8, 8], step, 1) }),
    lr: 0.1,
  },
];

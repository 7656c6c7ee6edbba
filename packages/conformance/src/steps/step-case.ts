import { CounterRng, hostTensor, RNG_STREAMS, sizeOf, type Driver, type Feeds, type Program, type StateDict } from '@ltssl/core';

/** A few training steps of one Program, the same on every driver: seeded feeds, a fixed learning rate. */
export interface StepCase {
  readonly id: string;
  readonly program: () => Program;
  /** The feeds of step `step` (lr excluded), seeded. */
  readonly feeds: (step: number) => Feeds;
  /** Large enough that STEPS steps move the weights by >= 1% (checked). */
  readonly lr: number;
  /**
   * Restart the driver from the reference's state before each step and compare that step's update
   * alone. For a problem that amplifies float32 rounding (a ReLU input that rounds to the other side
   * of zero), carried steps measure the problem's conditioning, not the driver.
   */
  readonly fromReferenceEachStep?: boolean;
}

/** Steps per comparison (issue 3: three). */
export const STEPS = 3;

/** A float32 feed of standard normals, keyed by (seed, step, stream): the same on every machine. */
export function seededNormal(seed: number, shape: readonly number[], step: number, stream: number): Feeds[string] {
  const data = new Float32Array(sizeOf(shape));
  new CounterRng(seed, RNG_STREAMS.data, step * 16 + stream).fillNormal(data);
  return hostTensor('float32', [...shape], data);
}

/** Class labels in [0, classes), keyed by (seed, step). */
export function seededLabels(seed: number, batch: number, classes: number, step: number): Feeds[string] {
  const rng = new CounterRng(seed, RNG_STREAMS.data, 1000 + step);
  return hostTensor('int32', [batch], Array.from({ length: batch }, (_, i) => rng.int(i, classes)));
}

/** The feeds of step `step` of a case, its learning rate included. */
export function stepFeeds(c: StepCase, step: number): Feeds {
  return { ...c.feeds(step), lr: hostTensor('float32', [], [c.lr]) };
}

export interface TrainedSteps {
  readonly initial: StateDict;
  readonly final: StateDict;
  readonly losses: number[];
}

/** STEPS carried steps of a case on one driver, from the program's initial state. */
export async function trainSteps(driver: Driver, c: StepCase): Promise<TrainedSteps> {
  const executable = await driver.compile(c.program());
  try {
    const initial = await executable.readState();
    const losses: number[] = [];
    for (let step = 0; step < STEPS; step++) losses.push((await executable.run(stepFeeds(c, step), ['loss'])).loss!.data[0]!);
    return { initial, final: await executable.readState(), losses };
  } finally {
    executable.dispose();
  }
}

export function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return Math.sqrt(s);
}

/** One float state tensor, both runs from `w0`: the distance between the updates, and the yardstick (`want`) update's norm. */
export function updateDifference(w0: ArrayLike<number>, want: ArrayLike<number>, got: ArrayLike<number>): { diff: number; size: number } {
  const refDelta = Array.from(want, (v, i) => v - w0[i]!);
  return { diff: norm(Array.from(got, (v, i) => v - w0[i]! - refDelta[i]!)), size: norm(refDelta) };
}

/** How far the trainable weights moved, relative to their size (optimizer slots and running statistics excluded). */
export function movedFraction(initial: StateDict, final: StateDict): number {
  let moved = 0;
  let size = 0;
  for (const [name, w0] of Object.entries(initial)) {
    if (w0.dtype === 'int32' || name.startsWith('optimizer.') || name.includes('running_')) continue;
    moved += norm(Array.from(final[name]!.data, (v, i) => v - w0.data[i]!)) ** 2;
    size += norm(w0.data) ** 2;
  }
  return Math.sqrt(moved / size);
}

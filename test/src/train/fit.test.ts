import { cosineLr, hostTensor, Tracer, type Executable, type Program } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { cosineSchedule, fit, TrainingDivergedError, type FitPlan, type FitStep } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const reference = new ReferenceDriver();
beforeAll(async () => void (await reference.init()));
afterAll(async () => reference.dispose());

/**
 * A real step program, small enough to follow by hand: loss = w . x, one
 * gradient step w <- w - lr x (the gradient of w . x is x), the gradient norm
 * |x|, and the fed learning rate echoed back as the monitor 'lrSeen'.
 */
function tinyStep(): Program {
  const tracer = new Tracer('fit-test-step');
  const x = tracer.input('x', 'float32', [2]);
  const lr = tracer.input('lr', 'float32', []);
  const w = tracer.state({ name: 'w', dtype: 'float32', shape: [2], init: { kind: 'fill', value: 1 }, trainable: true });
  tracer.update('w', w.sub(x.mul(lr)));
  tracer.output('loss', w.mul(x).sum()); // []
  tracer.output('gradNorm', x.square().sum().sqrt()); // []
  tracer.output('lrSeen', lr.mul(1)); // []
  return tracer.build();
}

/** The feed of step s of epoch e: x = [e + 1, s + 1] / 10, or what `override` says. */
function planOf(executable: Executable, o: Partial<FitPlan> & { readonly x?: (e: number, s: number) => [number, number] } = {}): FitPlan {
  const x = o.x ?? ((e, s) => [(e + 1) / 10, (s + 1) / 10]);
  return {
    name: 'tiny',
    executable,
    epochs: 3,
    epoch: (e) => ({ steps: [2, 3, 1][e]!, feeds: (s) => ({ x: hostTensor('float32', [2], x(e, s)) }) }),
    lr: (e, s, steps) => 0.1 * (e + 1) + 0.01 * s + 0.001 * steps,
    monitors: ['lrSeen'],
    ...o,
  };
}

describe('fit', () => {
  it("runs each epoch's steps, feeds every step its learning rate, and hands the epoch means to onEpochEnd", async () => {
    const executable = await reference.compile(tinyStep());
    const steps: FitStep[] = [];
    const means: Record<string, number>[] = [];
    const { last } = await fit(planOf(executable, { callbacks: [{ onStep: (s) => void steps.push(s), onEpochEnd: (_, m) => void means.push({ ...m }) }] }));
    expect(steps.map((s) => [s.epoch, s.step, s.steps])).toEqual([
      [0, 0, 2],
      [0, 1, 2],
      [1, 0, 3],
      [1, 1, 3],
      [1, 2, 3],
      [2, 0, 1],
    ]);
    // The program saw the schedule's rate of each step (fed as float32).
    for (const s of steps) expect(s.values['lrSeen']).toBe(Math.fround(0.1 * (s.epoch + 1) + 0.01 * s.step + 0.001 * s.steps));
    expect(Object.keys(steps[0]!.values)).toEqual(['loss', 'gradNorm', 'lrSeen']);
    // Steps run in order on one state: each loss is w . x after the previous steps' updates.
    const w = [1, 1];
    for (const s of steps) {
      const x = [(s.epoch + 1) / 10, (s.step + 1) / 10];
      expect(s.values['loss']).toBeCloseTo(w[0]! * x[0]! + w[1]! * x[1]!, 6);
      w.forEach((v, i) => (w[i] = v - s.lr * x[i]!));
    }
    expect(means).toHaveLength(3);
    expect(means[1]!['loss']).toBeCloseTo((steps[2]!.values['loss']! + steps[3]!.values['loss']! + steps[4]!.values['loss']!) / 3, 12);
    expect(last).toEqual(steps.at(-1)!.values);
    executable.dispose();
  });

  it('calls every hook of every callback in the order given, and asks for an epoch after its start hooks', async () => {
    const executable = await reference.compile(tinyStep());
    const log: string[] = [];
    const recorder = (tag: string) => ({
      onEpochStart: (e: number) => void log.push(`${tag} start ${e}`),
      onStep: (s: FitStep) => void log.push(`${tag} step ${s.epoch}.${s.step}`),
      onEpochEnd: (e: number) => void log.push(`${tag} end ${e}`),
    });
    const plan = planOf(executable, { epochs: 2, callbacks: [recorder('a'), recorder('b')] });
    await fit({ ...plan, epoch: (e) => (log.push(`epoch ${e}`), plan.epoch(e)) });
    expect(log).toEqual([
      'a start 0', 'b start 0', 'epoch 0', 'a step 0.0', 'b step 0.0', 'a step 0.1', 'b step 0.1', 'a end 0', 'b end 0',
      'a start 1', 'b start 1', 'epoch 1', 'a step 1.0', 'b step 1.0', 'a step 1.1', 'b step 1.1', 'a step 1.2', 'b step 1.2', 'a end 1', 'b end 1',
    ]);
    executable.dispose();
  });

  it('resumes at startEpoch: epochs 0-1 and then 2 give the state one run of 0-2 gives', async () => {
    const whole = await reference.compile(tinyStep());
    await fit(planOf(whole));
    const split = await reference.compile(tinyStep());
    await fit(planOf(split, { epochs: 2 }));
    const ran: number[] = [];
    await fit(planOf(split, { startEpoch: 2, callbacks: [{ onEpochStart: (e) => void ran.push(e) }] }));
    expect(ran).toEqual([2]);
    expect(Array.from((await split.readState(['w']))['w']!.data)).toEqual(Array.from((await whole.readState(['w']))['w']!.data));
    // ... and the state did move: the check above is not two untouched initial values.
    expect((await whole.readState(['w']))['w']!.data[0]).not.toBe(1);
    whole.dispose();
    split.dispose();
  });

  it('stops at the first non-finite loss, naming the run, epoch, step, the bad values and the last finite loss', async () => {
    const executable = await reference.compile(tinyStep());
    const steps: FitStep[] = [];
    const ends: number[] = [];
    const plan = planOf(executable, { x: (e, s) => (e === 1 && s === 1 ? [Number.NaN, 0.1] : [(e + 1) / 10, (s + 1) / 10]), callbacks: [{ onStep: (s) => void steps.push(s), onEpochEnd: (e) => void ends.push(e) }] });
    const error = await fit(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect([diverged.what, diverged.epoch, diverged.step]).toEqual(['tiny', 1, 1]);
    expect(diverged.values).toEqual({ loss: Number.NaN, gradNorm: Number.NaN });
    expect(diverged.lastFiniteLoss).toBe(steps.at(-1)!.values['loss']);
    expect(diverged.message).toBe(`tiny diverged at epoch 2, step 2: loss NaN, gradient norm NaN; the last finite loss was ${steps.at(-1)!.values['loss']!.toPrecision(6)}; lower the learning rate or check the data`);
    // Nothing after the bad step: no report of it, no end of its epoch, no later step.
    expect(steps.map((s) => `${s.epoch}.${s.step}`)).toEqual(['0.0', '0.1', '1.0']);
    expect(ends).toEqual([0]);
    executable.dispose();
  });

  it('an infinite learning rate: the step it feeds finishes, the next one is named, after a finite loss', async () => {
    const executable = await reference.compile(tinyStep());
    const error = (await fit(planOf(executable, { lr: () => Number.POSITIVE_INFINITY })).catch((e: unknown) => e)) as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect([error.epoch, error.step]).toEqual([0, 1]);
    expect(error.lastFiniteLoss).toBeCloseTo(0.1 + 0.1, 6); // w = [1, 1], x = [0.1, 0.1]
    expect(error.message).toMatch(/^tiny diverged at epoch 1, step 2: loss -Infinity, gradient norm 0\.2\d*; the last finite loss was 0\.200000/);
    executable.dispose();
  });

  it('refuses a monitor the program does not output before any step runs', async () => {
    const executable = await reference.compile(tinyStep());
    let asked = 0;
    const plan = planOf(executable, { monitors: ['nope'] });
    await expect(fit({ ...plan, epoch: (e) => (asked++, plan.epoch(e)) })).rejects.toThrow("tiny: the step program 'fit-test-step' has no output 'nope' to fetch");
    expect(asked).toBe(0);
    expect((await executable.readState(['w']))['w']!.data[0]).toBe(1);
    executable.dispose();
  });

  it('cosineSchedule decays per step over the epochs: epoch + step / steps', () => {
    const lr = cosineSchedule(0.4, 10);
    expect(lr(0, 0, 4)).toBe(0.4);
    expect(lr(3, 1, 4)).toBe(cosineLr({ baseLr: 0.4, totalEpochs: 10 }, 3.25));
    expect(lr(9, 3, 4)).toBeGreaterThan(0);
  });
});

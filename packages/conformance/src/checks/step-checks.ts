import { type Driver, type StateDict } from '@ltssl/core';
import { fail, type Check } from '../check.js';
import { movedFraction, STEPS, stepFeeds, trainSteps, updateDifference, type StepCase } from '../steps/step-case.js';
import { STEP_CASES } from '../steps/step-cases.js';
import { STEP_TOLERANCE } from '../tolerances.js';

interface StepPair {
  readonly before: StateDict;
  readonly want: StateDict;
  readonly got: StateDict;
  readonly wantLoss: number;
  readonly gotLoss: number;
}

/** Each step of the driver from the reference's state before it: the pairs of results, and the reference's run. */
async function trainFromReference(driver: Driver, reference: Driver, c: StepCase): Promise<{ pairs: StepPair[]; initial: StateDict; final: StateDict }> {
  const [mine, oracle] = [await driver.compile(c.program()), await reference.compile(c.program())];
  try {
    const initial = await oracle.readState();
    const pairs: StepPair[] = [];
    for (let step = 0; step < STEPS; step++) {
      const before = await oracle.readState();
      await mine.writeState(before);
      const feeds = stepFeeds(c, step);
      const wantLoss = (await oracle.run(feeds, ['loss'])).loss!.data[0]!;
      const gotLoss = (await mine.run(feeds, ['loss'])).loss!.data[0]!;
      pairs.push({ before, want: await oracle.readState(), got: await mine.readState(), wantLoss, gotLoss });
    }
    return { pairs, initial, final: await oracle.readState() };
  } finally {
    mine.dispose();
    oracle.dispose();
  }
}

/**
 * Whole training steps on the driver against the float64 reference, from the
 * same initial state and feeds: each loss within 1e-4 relative, and after 3
 * steps each state tensor's change w3 - w0 within 1e-3 of the reference
 * change's norm (or, for a case marked fromReferenceEachStep, each step from
 * the reference's state). The learning rates move the trainable weights by at
 * least 1% in 3 steps (checked), so the comparison measures real updates.
 */
export function stepChecks(): Check[] {
  return STEP_CASES.map((c) => ({
    id: c.id,
    run: async (ctx) => {
      let reference: { initial: StateDict; final: StateDict };
      if (c.fromReferenceEachStep) {
        const run = await trainFromReference(ctx.driver, ctx.reference, c);
        run.pairs.forEach((p, step) => {
          compareLoss(step, p.gotLoss, p.wantLoss);
          compareUpdates(p.before, p.want, p.got, `step ${step + 1} from the reference's state: `);
        });
        reference = run;
      } else {
        const [mine, oracle] = [await trainSteps(ctx.driver, c), await trainSteps(ctx.reference, c)];
        oracle.losses.forEach((want, step) => compareLoss(step, mine.losses[step]!, want));
        compareUpdates(oracle.initial, oracle.final, mine.final, '');
        reference = oracle;
      }
      const relative = movedFraction(reference.initial, reference.final);
      if (relative < STEP_TOLERANCE.minRelativeUpdate) fail(`the learning rate moves the weights by only ${(100 * relative).toFixed(2)}% in ${STEPS} steps: raise it so the check measures real updates`);
    },
  }));
}

function compareLoss(step: number, got: number, want: number): void {
  if (!(Math.abs(got - want) <= STEP_TOLERANCE.loss * Math.abs(want))) fail(`step ${step + 1}: loss ${got}, reference ${want} (relative tolerance ${STEP_TOLERANCE.loss})`);
}

/** Every state tensor's update from `w0` (the driver's `got`, the reference's `want`) within tolerance of the reference update's norm. */
function compareUpdates(w0State: StateDict, want: StateDict, got: StateDict, context: string): void {
  for (const [name, w0] of Object.entries(w0State)) {
    const ref = want[name]!;
    const mine = got[name];
    if (!mine) fail(`${context}state '${name}' missing after training`);
    if (w0.dtype === 'int32') {
      if (Array.from(mine.data).join() !== Array.from(ref.data).join()) fail(`${context}state '${name}': ${Array.from(mine.data)} but reference ${Array.from(ref.data)}`);
      continue;
    }
    const { diff, size } = updateDifference(w0.data, ref.data, mine.data);
    if (!(diff <= Math.max(STEP_TOLERANCE.update * size, 1e-7))) {
      fail(`${context}state '${name}': the update differs from the reference's by ${diff.toExponential(3)}, more than ${STEP_TOLERANCE.update} x its norm ${size.toExponential(3)}`);
    }
  }
}

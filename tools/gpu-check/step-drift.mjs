// Where a driver's whole-step result departs from the float64 reference, and
// whether that is the driver or the problem: for conformance's ResNet-18 step
// case it prints, per step,
//   one-step  the driver restarted each step from the reference's state (the error of one step alone),
//   chaos     the reference itself restarted from its initial state perturbed by 1e-7 relative
//             (float32 rounding), i.e. how much the problem amplifies a rounding-sized difference,
//   carried   the driver run on its own since step 0,
// each as the worst state tensor's |update - reference update| / |reference update| (and the loss's
// relative error). A one-step error near float32 rounding with a carried error that jumps
// means the problem is sensitive, not the driver wrong.
import { CounterRng, hostTensor, RNG_STREAMS } from '@ltssl/core';
import { STEP_CASES, STEPS, updateDifference } from '@ltssl/conformance';
import { ReferenceDriver } from '@ltssl/driver-reference';

const CASE = STEP_CASES.find((c) => c.id === 'step/supervised-resnet18');

/** The worst float tensor's update error relative to the reference update's norm, and its name. */
function worst(initial, want, got) {
  let result = { name: '', ratio: 0 };
  for (const [name, w0] of Object.entries(initial)) {
    if (w0.dtype === 'int32') continue;
    const { diff, size } = updateDifference(w0.data, want[name].data, got[name].data);
    const ratio = diff / Math.max(size, 1e-30);
    if (ratio > result.ratio) result = { name, ratio };
  }
  return result;
}

function perturbed(state) {
  const out = {};
  for (const [name, t] of Object.entries(state)) {
    if (t.dtype === 'int32') { out[name] = t; continue; }
    const noise = new Float64Array(t.data.length);
    new CounterRng(99, RNG_STREAMS.data, name.length).fillNormal(noise);
    out[name] = hostTensor(t.dtype, t.shape, Array.from(t.data, (v, i) => v * (1 + 1e-7 * noise[i])));
  }
  return out;
}

export async function stepDrift(driver, { lrs = [CASE.lr, CASE.lr / 5] } = {}) {
  const reference = new ReferenceDriver();
  await reference.init();
  for (const lr of lrs) {
    const [ref, mine, shaken, single] = [await reference.compile(CASE.program()), await driver.compile(CASE.program()), await reference.compile(CASE.program()), await driver.compile(CASE.program())];
    const initial = await ref.readState();
    await mine.writeState(initial);
    await shaken.writeState(perturbed(initial));
    console.log(`lr ${lr}: worst state tensor |update error| / |reference update|, loss relative error`);
    for (let step = 0; step < STEPS; step++) {
      const before = await ref.readState();
      await single.writeState(before);
      const feeds = { ...CASE.feeds(step), lr: hostTensor('float32', [], [lr]) };
      const loss = async (e) => (await e.run(feeds, ['loss'])).loss.data[0];
      const wantLoss = await loss(ref);
      const losses = { single: await loss(single), shaken: await loss(shaken) };
      await loss(mine);
      const after = await ref.readState();
      const line = (label, got, state) => {
        const w = worst(before, after, state);
        return `${label} ${w.ratio.toExponential(2)} (${w.name}), loss ${(Math.abs(got - wantLoss) / Math.abs(wantLoss)).toExponential(2)}`;
      };
      const total = worst(initial, after, await mine.readState());
      console.log(`  step ${step + 1}: ${line('one-step', losses.single, await single.readState())}; ${line('chaos', losses.shaken, await shaken.readState())}; carried since step 0: ${total.ratio.toExponential(2)} (${total.name})`);
    }
    for (const e of [ref, mine, shaken, single]) e.dispose();
  }
}

// Where a driver's whole-step result departs from the float64 reference, and
// whether that is the driver or the problem: for conformance's ResNet-18 step
// case it prints, per step,
//   carried   the driver run on its own for s steps (what the conformance check compares),
//   one-step  the driver restarted each step from the reference's state (the error of one step alone),
//   chaos     the reference itself restarted from its initial state perturbed by 1e-7 relative
//             (float32 rounding), i.e. how much the problem amplifies a rounding-sized difference,
// each as the worst state tensor's |update - reference update| / |reference update| and the loss's
// relative error. A one-step error near float32 rounding with a carried error that grows like chaos
// means the problem is sensitive, not the driver wrong.
import { CounterRng, hostTensor, RNG_STREAMS, sizeOf } from '@ltssl/core';
import { supervisedStep } from '@ltssl/conformance';
import { ReferenceDriver } from '@ltssl/driver-reference';

// conformance's step/supervised-resnet18 case (packages/conformance/src/checks/step-checks.ts).
const CASE = { encoder: 'resnet18', width: 8, channels: 3, size: 8, batch: 8, classes: 3, seed: 4 };

function normalFeed(shape, step, stream) {
  const data = new Float32Array(sizeOf(shape));
  new CounterRng(7, RNG_STREAMS.data, step * 16 + stream).fillNormal(data);
  return hostTensor('float32', shape, data);
}

function feeds(step, lr) {
  const rng = new CounterRng(7, RNG_STREAMS.data, 1000 + step);
  const labels = hostTensor('int32', [CASE.batch], Array.from({ length: CASE.batch }, (_, i) => rng.int(i, CASE.classes)));
  return { x: normalFeed([CASE.batch, CASE.channels, CASE.size, CASE.size], step, 0), labels, lr: hostTensor('float32', [], [lr]) };
}

const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** The worst float tensor's update error relative to the reference update's norm, and its name. */
function worst(initial, want, got) {
  let result = { name: '', ratio: 0 };
  for (const [name, w0] of Object.entries(initial)) {
    if (w0.dtype === 'int32') continue;
    const delta = Array.from(want[name].data, (v, i) => v - w0.data[i]);
    const diff = Array.from(got[name].data, (v, i) => v - want[name].data[i]);
    const ratio = norm(diff) / Math.max(norm(delta), 1e-30);
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

export async function stepDrift(driver, { steps = 3, lrs = [0.05, 0.01] } = {}) {
  const reference = new ReferenceDriver();
  await reference.init();
  for (const lr of lrs) {
    const ref = await reference.compile(supervisedStep(CASE));
    const mine = await driver.compile(supervisedStep(CASE));
    const shaken = await reference.compile(supervisedStep(CASE));
    const initial = await ref.readState();
    await mine.writeState(initial);
    await shaken.writeState(perturbed(initial));
    const single = await driver.compile(supervisedStep(CASE));
    console.log(`lr ${lr}: worst state tensor |update error| / |reference update|, loss relative error`);
    for (let step = 0; step < steps; step++) {
      const before = await ref.readState();
      await single.writeState(before);
      const f = feeds(step, lr);
      const want = (await ref.run(f, ['loss'])).loss.data[0];
      const carried = (await mine.run(f, ['loss'])).loss.data[0];
      const alone = (await single.run(f, ['loss'])).loss.data[0];
      const chaos = (await shaken.run(f, ['loss'])).loss.data[0];
      const after = await ref.readState();
      const line = (label, loss, state) => {
        const w = worst(before, after, state);
        return `${label} ${w.ratio.toExponential(2)} (${w.name}), loss ${(Math.abs(loss - want) / Math.abs(want)).toExponential(2)}`;
      };
      const total = worst(initial, after, await mine.readState());
      console.log(`  step ${step + 1}: ${line('one-step', alone, await single.readState())}; ${line('chaos', chaos, await shaken.readState())}; carried since step 0: ${total.ratio.toExponential(2)} (${total.name})`);
    }
    for (const e of [ref, mine, shaken, single]) e.dispose();
  }
}

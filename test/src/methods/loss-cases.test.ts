import { readdirSync, readFileSync } from 'node:fs';
import { compareTensors, grad, toHostTensor, Tracer, type OpCaseTensor, type Tensor } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import {
  barlowTwinsLoss,
  byolLoss,
  byolPerExample,
  contrastiveLoss,
  cosineTemperature,
  infoNceLoss,
  magnitudePruneMasks,
  sdclrLoss,
  simsiamLoss,
  simsiamPerExample,
  vicregLoss,
  type CosineTemperature,
  type VicRegWeights,
} from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The study's losses against PyTorch (tools/fixtures/gen_loss_cases.py, the
 * authors' formulations in float64): each case's loss, its other outputs and
 * its gradients with respect to the inputs, traced in float64 and run on the
 * reference driver. Experiments' own tests cannot run a driver (the import
 * rules), so the value checks live here, beside the other cross-package tests.
 */
interface LossCase {
  readonly name: string;
  readonly source: string;
  readonly loss: 'simsiam' | 'contrastive' | 'infoNce' | 'byol' | 'barlowTwins' | 'vicreg' | 'sdclr';
  readonly temperature?: number;
  /** Instead of `temperature`: the cosine schedule and the epoch it is read at. */
  readonly temperatureSchedule?: CosineTemperature & { readonly epoch: number };
  readonly lambda?: number;
  readonly weights?: VicRegWeights;
  readonly pruneFraction?: number;
  readonly inputs: Readonly<Record<string, OpCaseTensor>>;
  readonly expected: Readonly<Record<string, OpCaseTensor>>;
}

const DIR = new URL('../../../packages/experiments/golden/losses/', import.meta.url);
const CASES: LossCase[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as LossCase);

/** float64 against float64 PyTorch: only summation order differs. */
const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

/** The ltssl loss of a case: its outputs by the fixture's names (gradients excluded). */
function traceLoss(c: LossCase, inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  switch (c.loss) {
    case 'simsiam': {
      const { p1, p2, z1, z2 } = inputs as Record<'p1' | 'p2' | 'z1' | 'z2', Tensor>;
      return { loss: simsiamLoss(p1, p2, z1, z2), perExample: simsiamPerExample(p1, p2, z1, z2) };
    }
    case 'contrastive': {
      const schedule = c.temperatureSchedule;
      // A scheduled temperature is a float64 [] tensor here, as the step program's input is.
      const temperature = schedule ? inputs['z']!.tracer.constant(cosineTemperature(schedule, schedule.epoch), 'float64') : c.temperature!;
      return { loss: contrastiveLoss(inputs['z']!, inputs['ids']!, temperature) };
    }
    case 'byol': {
      const { q1, q2, z1, z2 } = inputs as Record<'q1' | 'q2' | 'z1' | 'z2', Tensor>;
      return { loss: byolLoss(q1, q2, z1, z2), perExample: byolPerExample(q1, q2, z1, z2) };
    }
    case 'barlowTwins':
      return { loss: barlowTwinsLoss(inputs['zA']!, inputs['zB']!, c.lambda!) };
    case 'vicreg': {
      const { loss, invariance, variance, covariance } = vicregLoss(inputs['z1']!, inputs['z2']!, c.weights!);
      return { loss, invariance, variance, covariance };
    }
    case 'sdclr': {
      // The masks are host-side state in SDCLR: computed from the case's weights, then constants of the trace.
      const w = c.inputs['W']!;
      const [mask] = magnitudePruneMasks([w.data as number[]], c.pruneFraction!);
      const m = inputs['W']!.tracer.constant(Array.from(mask!), 'float64', w.shape);
      const { W, x1, x2 } = inputs as Record<'W' | 'x1' | 'x2', Tensor>;
      return { loss: sdclrLoss(x1.matmul(W, false, true), x2.matmul(W.mul(m), false, true), c.temperature!), mask: m };
    }
    case 'infoNce': {
      const { loss, positiveTop1 } = infoNceLoss(inputs['q']!, inputs['k']!, inputs['queue']!, c.temperature!);
      return { loss, positiveTop1 };
    }
  }
}

const driver = new ReferenceDriver();
beforeAll(() => driver.init());
afterAll(() => driver.dispose());

/** Every expected output of a case, computed by ltssl on the reference driver. */
async function run(c: LossCase): Promise<Record<string, OpCaseTensor>> {
  const tracer = new Tracer(`loss-${c.name}`);
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, t]) => [name, tracer.input(name, t.dtype, t.shape)]));
  const outputs = traceLoss(c, inputs);
  const wrt = Object.keys(c.expected).filter((k) => k.startsWith('grad.')).map((k) => k.slice('grad.'.length));
  const grads = grad(outputs['loss']!, wrt.map((name) => inputs[name]!));
  wrt.forEach((name, i) => (outputs[`grad.${name}`] = grads[i]!));
  for (const [name, t] of Object.entries(outputs)) tracer.output(name, t);
  const executable = await driver.compile(tracer.build());
  try {
    const fetched = await executable.run(Object.fromEntries(Object.entries(c.inputs).map(([name, t]) => [name, toHostTensor(t)])));
    return Object.fromEntries(Object.entries(fetched).map(([name, t]) => [name, { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.data) } as OpCaseTensor]));
  } finally {
    executable.dispose();
  }
}

describe('the losses against PyTorch (float64, reference driver)', () => {
  it('has a case for each loss: SimSiam, NT-Xent (SimCLR, fixed and scheduled tau), SupCon, InfoNCE (MoCo v2), BYOL, Barlow Twins, VICReg, SDCLR', () => {
    expect(new Set(CASES.map((c) => c.loss))).toEqual(new Set(['simsiam', 'contrastive', 'infoNce', 'byol', 'barlowTwins', 'vicreg', 'sdclr']));
    expect(CASES.map((c) => c.name)).toEqual([
      'barlow-twins',
      'byol',
      'info-nce-moco',
      'nt-xent-cosine-temperature',
      'nt-xent-simclr',
      'sdclr',
      'simsiam',
      'supcon-anchor-without-positive',
      'supcon-labels',
      'vicreg',
    ]);
  });

  for (const c of CASES) {
    it(`${c.name}: ${Object.keys(c.expected).join(', ')}`, async () => {
      const got = await run(c);
      expect(Object.keys(got).sort()).toEqual(Object.keys(c.expected).sort());
      for (const [name, want] of Object.entries(c.expected)) expect(compareTensors(got[name]!, want, TOLERANCE), `${c.name} ${name}`).toBeUndefined();
      // A case whose gradients were all zero would not pin the loss's direction.
      const grads = Object.entries(c.expected).filter(([k]) => k.startsWith('grad.'));
      expect(grads.some(([, g]) => g.data.some((v) => Math.abs(v) > 1e-3))).toBe(true);
    });
  }
});

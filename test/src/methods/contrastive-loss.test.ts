import { bindModel, hostTensor, minimize, Module, Sgd, Tracer, type Executable, type ModuleContext, type Tensor } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { contrastiveLoss } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const driver = new ReferenceDriver();
beforeAll(() => driver.init());
afterAll(() => driver.dispose());

/** The loss of fixed embeddings z [n, d] with ids [n], in float64 on the reference, so 1e-9 checks the formula. */
async function lossOf(z: number[][], ids: number[], temperature: number): Promise<number> {
  const tracer = new Tracer('contrastive-loss');
  const zIn = tracer.input('z', 'float64', [z.length, z[0]!.length]);
  const idsIn = tracer.input('ids', 'int32', [ids.length]);
  tracer.output('loss', contrastiveLoss(zIn, idsIn, temperature));
  const executable = await driver.compile(tracer.build());
  try {
    const { loss } = await executable.run({ z: hostTensor('float64', [z.length, z[0]!.length], z.flat()), ids: hostTensor('int32', [ids.length], ids) });
    return loss!.data[0]!;
  } finally {
    executable.dispose();
  }
}

/*
 * Two images, d = 2, tau = 0.5. Rows: view 1 of images 0 and 1, then view 2:
 *   a = (1, 0), b = (0, 1), c = (2, 2) ~ (1, 1)/sqrt2, d = (0, -3) ~ (0, -1)   (c, d test the normalisation)
 * Cosines: ab 0, ac 1/sqrt2, ad 0, bc 1/sqrt2, bd -1, cd -1/sqrt2; divided by tau, with r = sqrt2:
 *   row a: b 0, c r, d 0        row b: a 0, c r, d -2
 *   row c: a r, b r, d -r       row d: a 0, b -2, c -r
 * SimCLR (ids 0 1 0 1, positives a-c, b-d), loss_i = log sum_{j != i} e^{s_ij} - s_i,pos:
 *   a: log(2 + e^r) - r              = 0.396245046
 *   b: log(1 + e^r + e^-2) + 2       = 3.657958643
 *   c: log(2 e^r + e^-r) - r         = 0.722271785
 *   d: log(1 + e^-2 + e^-r) + 2      = 2.320961143
 *   mean                             = 1.774359154
 * SupCon with both images of one class (ids 0 0 0 0): every other row is a positive, and L_out averages
 * the log-probabilities: loss_i = log sum_{j != i} e^{s_ij} - mean_{j != i} s_ij:
 *   a: log(2 + e^r) - r/3            = 1.339054088
 *   b: log(1 + e^r + e^-2) - (r-2)/3 = 1.853220788
 *   c: log(2 e^r + e^-r) - r/3       = 1.665080827
 *   d: log(1 + e^-2 + e^-r) + (2+r)/3 = 1.459032331
 *   mean                             = 1.579097008
 */
const Z = [[1, 0], [0, 1], [2, 2], [0, -3]];
const r = Math.SQRT2;
const SIMCLR = (Math.log(2 + Math.exp(r)) - r + Math.log(1 + Math.exp(r) + Math.exp(-2)) + 2 + Math.log(2 * Math.exp(r) + Math.exp(-r)) - r + Math.log(1 + Math.exp(-2) + Math.exp(-r)) + 2) / 4;
const SUPCON_ONE_CLASS = (Math.log(2 + Math.exp(r)) - r / 3 + Math.log(1 + Math.exp(r) + Math.exp(-2)) - (r - 2) / 3 + Math.log(2 * Math.exp(r) + Math.exp(-r)) - r / 3 + Math.log(1 + Math.exp(-2) + Math.exp(-r)) + (2 + r) / 3) / 4;

describe('contrastiveLoss on the reference driver', () => {
  it('matches the hand-computed formulas, whose values are written out above', () => {
    expect(SIMCLR).toBeCloseTo(1.774359154, 8);
    expect(SUPCON_ONE_CLASS).toBeCloseTo(1.579097008, 8);
  });

  it('is NT-Xent with instance ids (SimCLR): 1.774359154', async () => {
    expect(await lossOf(Z, [0, 1, 0, 1], 0.5)).toBeCloseTo(SIMCLR, 9);
  });

  it("is SupCon's L_out with labels: one class, every other view a positive: 1.579097008", async () => {
    expect(await lossOf(Z, [0, 0, 0, 0], 0.5)).toBeCloseTo(SUPCON_ONE_CLASS, 9);
  });

  it('is SimCLR again when the two images have different labels, whatever the label values', async () => {
    expect(await lossOf(Z, [7, 3, 7, 3], 0.5)).toBeCloseTo(SIMCLR, 9);
  });

  it('scales with the temperature: at tau = 1 the SimCLR row a is log(2 + e^(1/sqrt2)) - 1/sqrt2', async () => {
    const rows = [Math.log(2 + Math.exp(1 / r)) - 1 / r, Math.log(1 + Math.exp(1 / r) + Math.exp(-1)) + 1, Math.log(2 * Math.exp(1 / r) + Math.exp(-1 / r)) - 1 / r, Math.log(1 + Math.exp(-1) + Math.exp(-1 / r)) + 1];
    expect(await lossOf(Z, [0, 1, 0, 1], 1)).toBeCloseTo(rows.reduce((a, b) => a + b) / 4, 9);
  });
});

/** A free embedding table: the toy "network" whose rows SGD moves directly. */
class EmbeddingTable extends Module {
  constructor(rows: number, dim: number) {
    super();
    this.param('weight', [rows, dim], { kind: 'normal', std: 1 });
  }
  forward(ctx: ModuleContext, _x: Tensor): Tensor {
    return ctx.get('weight');
  }
}

async function sgdLosses(ids: number[], temperature: number, lr: number, steps: number): Promise<number[]> {
  const tracer = new Tracer('contrastive-sgd');
  const table = new EmbeddingTable(ids.length, 3);
  const vars = bindModel(tracer, table, { seed: 5, prefix: 'z.' });
  const z = vars.get('z.weight'); // [n, 3]
  const loss = contrastiveLoss(z, tracer.constant(ids, 'int32', [ids.length]), temperature);
  minimize(tracer, loss, [vars], new Sgd({ momentum: 0 }), tracer.input('lr', 'float32', []));
  tracer.output('loss', loss);
  const executable: Executable = await driver.compile(tracer.build());
  try {
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) losses.push((await executable.run({ lr: hostTensor('float32', [], [lr]) }, ['loss'])).loss!.data[0]!);
    return losses;
  } finally {
    executable.dispose();
  }
}

describe('contrastiveLoss under SGD', () => {
  // Plain SGD with lr proportional to tau: the gradient grows as 1 / tau, so the steps are alike.
  for (const [name, ids, temperature] of [['SimCLR', [0, 1, 2, 0, 1, 2], 0.5], ['SupCon', [0, 0, 1, 0, 0, 1], 0.1]] as const) {
    it(`${name}: six SGD steps on a free [6, 3] embedding lower it at every step`, async () => {
      const losses = await sgdLosses([...ids], temperature, 0.2 * temperature, 6);
      expect(losses.every(Number.isFinite)).toBe(true);
      losses.slice(1).forEach((loss, i) => expect(loss).toBeLessThan(losses[i]!));
      expect(losses[5]!).toBeLessThan(0.9 * losses[0]!);
    });
  }
});

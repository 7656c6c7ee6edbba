import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareTensors, CounterRng, hostTensor, RNG_STREAMS, singleOpProgram, sizeOf, type Attrs, type HostTensor, type OpName } from '@ltssl/core';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { convOut, convTerms, matmulOracle, reduceOracle, type ConvDims } from '../testing/naive-oracle.js';
import { WebGpuDriver } from '../webgpu-driver.js';
import { convShape } from './conv-geometry.js';
import { convTileKey, type ConvTile } from './conv-tiles.js';

describeNeeding(SOFTWARE_WEBGPU, 'large shapes on the WebGPU driver', () => {
  /**
   * Shapes past the conformance suite's small cases, where the kernels take
   * their other paths: GEMM tiles beyond one workgroup with ragged edges, vec4
   * and scalar loads, split K; reductions by a whole workgroup; convolutions as
   * implicit GEMMs of ResNet's sizes. Float32 on the GPU against float64 loops.
   */
  let driver: WebGpuDriver;
  beforeAll(async () => {
    driver = new WebGpuDriver();
    await driver.init();
  });
  afterAll(() => driver.dispose());

  let stream = 0;
  function normal(shape: number[]): HostTensor<'float32'> {
    const data = new Float32Array(sizeOf(shape));
    new CounterRng(11, RNG_STREAMS.data, stream++).fillNormal(data);
    return hostTensor('float32', shape, data);
  }

  async function run(op: OpName, inputs: HostTensor[], attrs: Attrs): Promise<HostTensor> {
    const executable = await driver.compile(singleOpProgram(op, inputs, attrs));
    try {
      return (await executable.run(Object.fromEntries(inputs.map((t, i) => [`x${i}`, t]))))['y']!;
    } finally {
      executable.dispose();
    }
  }

  function expectClose(actual: HostTensor, expected: ArrayLike<number>, shape: number[], terms: number): void {
    // float32 sums of `terms` products of unit normals: error grows like sqrt(terms) ulps of the result's scale.
    const tolerance = { rtol: 1e-4, atol: 2e-6 * Math.sqrt(terms) * 4 };
    expect(compareTensors(actual, { dtype: 'float32', shape, data: expected }, tolerance)).toBeUndefined();
  }

  describe('matmul beyond one tile', () => {
    const cases: [number, number, number, boolean, boolean][] = [
      [130, 67, 45, false, false], // ragged tiles, scalar loads (rows of 45 and 67)
      [128, 96, 64, false, false], // vec4 loads of both operands
      [70, 130, 36, true, false],
      [65, 66, 68, false, true],
      [33, 40, 52, true, true],
      [10, 12, 5000, true, false], // few tiles, long K: split across workgroups
    ];
    for (const [M, N, K, ta, tb] of cases) {
      it(`${M}x${K}x${N} ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`, async () => {
        const a = normal(ta ? [K, M] : [M, K]);
        const b = normal(tb ? [N, K] : [K, N]);
        const y = await run('matmul', [a, b], { transposeA: ta, transposeB: tb });
        expectClose(y, matmulOracle(a.data, b.data, M, N, K, ta, tb), [M, N], K);
      });
    }
  });

  describe('convolutions as implicit GEMMs', () => {
    const cases: [string, ConvDims][] = [
      ['resnet 3x3 s1', { n: 4, c: 16, h: 12, w: 12, o: 24, kh: 3, kw: 3, strides: [1, 1], pads: [1, 1, 1, 1] }],
      ['resnet 3x3 s2', { n: 3, c: 8, h: 11, w: 9, o: 70, kh: 3, kw: 3, strides: [2, 2], pads: [1, 1, 1, 1] }],
      ['shortcut 1x1 s2', { n: 2, c: 20, h: 8, w: 8, o: 12, kh: 1, kw: 1, strides: [2, 2], pads: [0, 0, 0, 0] }],
      ['long K filter gradient', { n: 16, c: 4, h: 16, w: 16, o: 8, kh: 3, kw: 3, strides: [1, 1], pads: [1, 1, 1, 1] }],
    ];
    for (const [name, d] of cases) {
      const [ho, wo] = convOut(d);
      const xShape = [d.n, d.c, d.h, d.w];
      const wShape = [d.o, d.c, d.kh, d.kw];
      const yShape = [d.n, d.o, ho, wo];
      const attrs = { strides: [...d.strides], pads: [...d.pads] };
      it(`conv2d ${name}`, async () => {
        const [x, w] = [normal(xShape), normal(wShape)];
        const expected = new Float64Array(sizeOf(yShape));
        convTerms(d, (xi, wi, yi) => (expected[yi] += x.data[xi]! * w.data[wi]!));
        expectClose(await run('conv2d', [x, w], attrs), expected, yShape, d.c * d.kh * d.kw);
      });
      it(`conv2dBackpropInput ${name}`, async () => {
        const [dy, w] = [normal(yShape), normal(wShape)];
        const expected = new Float64Array(sizeOf(xShape));
        convTerms(d, (xi, wi, yi) => (expected[xi] += dy.data[yi]! * w.data[wi]!));
        expectClose(await run('conv2dBackpropInput', [dy, w], { ...attrs, inputShape: xShape }), expected, xShape, d.o * d.kh * d.kw);
      });
      it(`conv2dBackpropFilter ${name}`, async () => {
        const [x, dy] = [normal(xShape), normal(yShape)];
        const expected = new Float64Array(sizeOf(wShape));
        convTerms(d, (xi, wi, yi) => (expected[wi] += x.data[xi]! * dy.data[yi]!));
        expectClose(await run('conv2dBackpropFilter', [x, dy], { ...attrs, filterShape: wShape }), expected, wShape, d.n * ho * wo);
      });
    }
  });

  describe('convolutions with other tiles from the table', () => {
    // Tiles a tuning run may choose: 8x8 and mixed register blocks, shallow and deep K stages, narrow tiles.
    const tiles: ConvTile[] = [
      { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
      { bm: 64, bn: 64, bk: 16, tm: 4, tn: 8, split: 3 },
    ];
    const d: ConvDims = { n: 3, c: 16, h: 9, w: 7, o: 20, kh: 3, kw: 3, strides: [2, 2], pads: [1, 0, 1, 1] };
    const [ho, wo] = convOut(d);
    const xShape = [d.n, d.c, d.h, d.w];
    const wShape = [d.o, d.c, d.kh, d.kw];
    const yShape = [d.n, d.o, ho, wo];
    const geometry = convShape(xShape, wShape, yShape, d.strides, d.pads);
    for (const tile of tiles) {
      it(`all three kernels with ${JSON.stringify(tile)}`, async () => {
        const entries = Object.fromEntries((['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] as const).map((kind) => [convTileKey(kind, geometry), tile]));
        const tuned = new WebGpuDriver({ convTiles: { device: 'test', measured: null, entries } });
        await tuned.init();
        try {
          const attrs = { strides: [...d.strides], pads: [...d.pads] };
          const once = async (op: OpName, inputs: HostTensor[], extra: Attrs): Promise<HostTensor> => {
            const executable = await tuned.compile(singleOpProgram(op, inputs, { ...attrs, ...extra }));
            const out = (await executable.run(Object.fromEntries(inputs.map((t, i) => [`x${i}`, t]))))['y']!;
            executable.dispose();
            return out;
          };
          const [x, w, dy] = [normal(xShape), normal(wShape), normal(yShape)];
          const y = new Float64Array(sizeOf(yShape));
          const dx = new Float64Array(sizeOf(xShape));
          const dw = new Float64Array(sizeOf(wShape));
          convTerms(d, (xi, wi, yi) => {
            y[yi] += x.data[xi]! * w.data[wi]!;
            dx[xi] += dy.data[yi]! * w.data[wi]!;
            dw[wi] += x.data[xi]! * dy.data[yi]!;
          });
          expectClose(await once('conv2d', [x, w], {}), y, yShape, d.c * 9);
          expectClose(await once('conv2dBackpropInput', [dy, w], { inputShape: xShape }), dx, xShape, d.o * 9);
          expectClose(await once('conv2dBackpropFilter', [x, dy], { filterShape: wShape }), dw, wShape, d.n * ho * wo);
        } finally {
          await tuned.dispose();
        }
      });
    }
  });

  describe('reductions by a whole workgroup', () => {
    it("reduceSum over N, H, W (BatchNorm's statistics)", async () => {
      const x = normal([6, 5, 20, 20]);
      const y = await run('reduceSum', [x], { axes: [0, 2, 3], keepDims: true });
      // [6, 5, 400] summed over axes 0 and 2: the oracle sums the middle axis of each view in turn.
      const perBatch = reduceOracle(x.data, 6 * 5, 400, 1, 'sum');
      expectClose(y, reduceOracle(perBatch, 1, 6, 5, 'sum'), [1, 5, 1, 1], 2400);
    });
    it('reduceSum over N, H, W with rows not in fours (the strided walk)', async () => {
      const x = normal([6, 5, 7, 7]);
      const y = await run('reduceSum', [x], { axes: [0, 2, 3], keepDims: true });
      const perBatch = reduceOracle(x.data, 6 * 5, 49, 1, 'sum');
      expectClose(y, reduceOracle(perBatch, 1, 6, 5, 'sum'), [1, 5, 1, 1], 294);
    });
    it('reduceMax over a long axis propagates NaN, read four at a time', async () => {
      const x = normal([3, 1000]);
      x.data[1000 + 777] = NaN;
      const y = await run('reduceMax', [x], { axes: [1], keepDims: false });
      expect(Number.isNaN(y.data[1])).toBe(true);
      expect(y.data[0]).toBe(Math.max(...x.data.subarray(0, 1000)));
    });
    it('reduceMax over a long last axis', async () => {
      const x = normal([7, 3000]);
      const y = await run('reduceMax', [x], { axes: [1], keepDims: false });
      expectClose(y, reduceOracle(x.data, 7, 3000, 1, 'max'), [7], 1);
    });
  });
});

import { bindModel, hostTensor, Tracer, type Driver } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildGradCamProgram, computeGradCam, createEncoder, ENCODER_PREFIX, gradCamMaps, type EncoderSpec, type ImageSet, type LinearHead } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const reference = new ReferenceDriver();
const onnx = new OnnxDriver();
beforeAll(async () => {
  await reference.init();
  await onnx.init();
});
afterAll(async () => {
  await reference.dispose();
  await onnx.dispose();
});

/** Deterministic values in [-1, 1): a fixed pseudo-random sequence, so expectations can be computed on the host. */
const values = (n: number, salt: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(12.9898 * (i + 1) + 78.233 * salt) * 0.999);

describe('gradCamMaps: Grad-CAM of a score computed from the feature map', () => {
  it('matches the closed form for score_b = sum_k w_k mean_ij A_bkij^2 (alpha_k = w_k mean(A_bk) / 2 at 2 x 2)', async () => {
    // dS/dA_bkij = 2 w_k A_bkij / (H W), so alpha_bk = mean_ij of it = 2 w_k mean(A_bk) / 4 at H = W = 2.
    const [B, C, H, W] = [2, 3, 2, 2];
    const a = values(B * C * H * W, 1);
    const w = [0.7, -1.3, 0.4];
    const tracer = new Tracer('grad-cam-closed-form');
    const A = tracer.input('A', 'float32', [B, C, H, W]);
    const weights = tracer.constant(w, 'float32', [1, C, 1, 1]);
    const scores = A.mul(A).mean([2, 3], true).mul(weights).sum([1, 2, 3]); // [B]
    tracer.output('cam', gradCamMaps(A, scores));
    const exec = await reference.compile(tracer.build());
    const { cam } = await exec.run({ A: hostTensor('float32', [B, C, H, W], a) });
    const expected: number[] = [];
    for (let b = 0; b < B; b++) {
      const at = (k: number, p: number): number => a[((b * C + k) * H * W) + p]!;
      const alpha = w.map((wk, k) => (2 * wk * ([0, 1, 2, 3].reduce((s, p) => s + at(k, p), 0) / 4)) / 4);
      for (let p = 0; p < H * W; p++) expected.push(Math.max(0, alpha.reduce((s, al, k) => s + al * at(k, p), 0)));
    }
    expect(expected.some((v) => v > 0) && expected.some((v) => v === 0)).toBe(true); // the case exercises the ReLU both ways
    [...cam!.data].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    exec.dispose();
  });

  it('refuses a feature map that is not [B, C, H, W] and scores that are not [B]', () => {
    const tracer = new Tracer('bad');
    const A = tracer.input('A', 'float32', [2, 3, 2, 2]);
    expect(() => gradCamMaps(A.sum([3]), A.sum([1, 2, 3]))).toThrow('Grad-CAM: the feature map must be [B, C, H, W], got [2, 3, 2]');
    expect(() => gradCamMaps(A, A.sum())).toThrow('Grad-CAM: scores must be [B] with B = 2, got []');
  });
});

describe('buildGradCamProgram: an encoder under a linear head', () => {
  const spec: EncoderSpec = { arch: 'small-cnn', width: 2, inChannels: 1 };
  const [height, width] = [8, 12];
  const head: LinearHead = { classes: 3, dim: 8, weight: Float32Array.from(values(24, 2)), bias: Float32Array.from([0.1, -0.2, 0.3]) };
  // Five images through a batch-4 program: the second batch is padded, and its padding must be dropped.
  const set: ImageSet = {
    name: 'tiny',
    count: 5,
    channels: 1,
    height,
    width,
    pixels: Uint8Array.from(values(5 * height * width, 3), (v) => Math.round(127.5 + 127 * v)),
    labels: Int32Array.from([0, 1, 2, 0, 1]),
    classes: 3,
  };
  const normalization = { mean: [0.5], std: [0.25] };
  const targets = [2, 0, 1, 1, 2];

  /** The encoder's last feature map A [B, D, H', W'] from the same initial weights (seed 0). */
  async function featureMaps(driver: Driver): Promise<{ a: Float64Array; shape: number[] }> {
    const tracer = new Tracer('feature-map');
    const encoder = createEncoder(spec);
    const x = tracer.input('x', 'float32', [5, 1, height, width]);
    const vars = bindModel(tracer, encoder, { seed: 0, prefix: ENCODER_PREFIX, trainable: false });
    const A = encoder.featureMap(encoder.context(vars, { training: false, prefix: ENCODER_PREFIX }), x);
    tracer.output('A', A);
    const exec = await driver.compile(tracer.build());
    const pixels = Float32Array.from(set.pixels, (v) => (v / 255 - 0.5) / 0.25);
    const { A: out } = await exec.run({ x: hostTensor('float32', [5, 1, height, width], pixels) });
    exec.dispose();
    return { a: Float64Array.from(out!.data), shape: [...A.shape] };
  }

  it('equals the class activation map relu(sum_k W[c, k] A_k) / (H W) of a pooled linear head, image by image, on the reference driver', async () => {
    // With global average pooling and a linear head, dS/dA_k = W[c, k] / (H' W') at every position, so Grad-CAM is CAM (Zhou et al.) scaled by 1 / (H' W').
    const exec = await reference.compile(buildGradCamProgram(spec, { batch: 4, height, width, classes: 3 }));
    const maps = await computeGradCam(exec, set, normalization, [0, 1, 2, 3, 4], targets, head);
    exec.dispose();
    const { a, shape } = await featureMaps(reference);
    const [, D, h, w] = shape as [number, number, number, number];
    expect([maps.count, maps.height, maps.width, D]).toEqual([5, 2, 3, 8]);
    let positive = 0;
    for (let b = 0; b < 5; b++) {
      const c = targets[b]!;
      const logits = [0, 1, 2].map((k) => head.bias[k]! + Array.from({ length: D }, (_, d) => head.weight[k * D + d]! * (a.subarray((b * D + d) * h * w, (b * D + d + 1) * h * w).reduce((s, v) => s + v, 0) / (h * w))).reduce((s, v) => s + v, 0));
      expect(maps.predictions[b]).toBe(logits.indexOf(Math.max(...logits)));
      for (let p = 0; p < h * w; p++) {
        const cam = Math.max(0, Array.from({ length: D }, (_, d) => (head.weight[c * D + d]! * a[(b * D + d) * h * w + p]!) / (h * w)).reduce((s, v) => s + v, 0));
        if (cam > 0) positive++;
        expect(maps.cams[b * h * w + p]).toBeCloseTo(cam, 6);
      }
    }
    expect(positive).toBeGreaterThan(0);
  });

  it('gives the same maps on the ONNX driver', async () => {
    const run = async (driver: Driver): Promise<Float32Array> => {
      const exec = await driver.compile(buildGradCamProgram(spec, { batch: 4, height, width, classes: 3 }));
      const maps = await computeGradCam(exec, set, normalization, [4, 3, 2, 1, 0], [...targets].reverse(), head);
      exec.dispose();
      return maps.cams;
    };
    const [ref, ort] = [await run(reference), await run(onnx)];
    const scale = Math.max(...ref);
    expect(scale).toBeGreaterThan(0);
    ref.forEach((v, i) => expect(Math.abs(ort[i]! - v)).toBeLessThan(1e-5 * scale + 1e-7));
  });

  it('names a head that does not fit the program and a target outside it', async () => {
    const exec = await reference.compile(buildGradCamProgram(spec, { batch: 4, height, width, classes: 3 }));
    await expect(computeGradCam(exec, set, normalization, [0], [0], { ...head, classes: 2, weight: head.weight.subarray(0, 16), bias: head.bias.subarray(0, 2) })).rejects.toThrow("Grad-CAM: the program takes a head of [3, 8], the probe's is [2, 8]");
    await expect(computeGradCam(exec, set, normalization, [0, 1], [0, 3], head)).rejects.toThrow('Grad-CAM: target class 3 of image 1 is not a class of the head (0 .. 2)');
    exec.dispose();
  });
});

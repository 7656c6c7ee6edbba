#!/usr/bin/env node
// Benchmark (not a test): the forms of conv2dBackpropFilter on ONNX Runtime's CPU provider, one
// session per (shape, form), on the shapes of the study's networks: the small CNN (width 16, 28x28,
// batch 128 supervised, 256 for SimCLR's two views) and ResNet-18 (CIFAR stem, batch 128). Forms:
// 'taps' (the standard lowering: KH*KW strided slices, each a GEMM), 'conv' (one Conv of x^T with
// dy^T as a dilated filter) and 'patches' (im2col by a one-hot Conv, one batched MatMul). The forms
// are interleaved and each time is the minimum over --reps runs, so passing load counts least; the
// CPU profile (packages/driver-onnx/src/lowerings/cpu/conv2d-backprop-filter.ts) picks by this table.
// node tools/bench/conv-filter-grad.mjs [--reps 5] [--threads 2] [--models small-cnn,resnet18]
import { Tracer } from '@ltssl/core';
import { lowerProgram, LOWERINGS } from '@ltssl/driver-onnx';
import ort from 'onnxruntime-node';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'packages', 'driver-onnx', 'dist', 'lowerings', 'cpu');
const { conv2dBackpropFilterConvLowering } = await import(pathToFileURL(join(dist, 'conv2d-backprop-filter-conv.js')).href);
const { conv2dBackpropFilterPatchesLowering } = await import(pathToFileURL(join(dist, 'conv2d-backprop-filter-patches.js')).href);
const { conv2dBackpropFilterWindowsLowering, windowsApply } = await import(pathToFileURL(join(dist, 'conv2d-backprop-filter-windows.js')).href);
const { filterGradForm } = await import(pathToFileURL(join(dist, 'conv2d-backprop-filter.js')).href);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const reps = Number(option('reps', '5'));
const threads = Number(option('threads', '2'));
const models = option('models', 'small-cnn,resnet18').split(',');
const FORMS = { windows: conv2dBackpropFilterWindowsLowering, taps: LOWERINGS.conv2dBackpropFilter, conv: conv2dBackpropFilterConvLowering, patches: conv2dBackpropFilterPatchesLowering };

// [N, C, O, H, stride, kernel, pad]
const SHAPES = {
  'small-cnn': [
    [128, 1, 16, 28, 1, 3, 1],
    [128, 16, 32, 28, 2, 3, 1],
    [128, 32, 64, 14, 2, 3, 1],
    [256, 1, 16, 28, 1, 3, 1],
    [256, 16, 32, 28, 2, 3, 1],
    [256, 32, 64, 14, 2, 3, 1],
  ],
  resnet18: [
    [128, 3, 64, 32, 1, 3, 1],
    [128, 64, 64, 32, 1, 3, 1],
    [128, 64, 128, 32, 2, 3, 1],
    [128, 64, 128, 32, 2, 1, 0],
    [128, 128, 128, 16, 1, 3, 1],
    [128, 128, 256, 16, 2, 3, 1],
    [128, 256, 256, 8, 1, 3, 1],
    [128, 256, 512, 8, 2, 3, 1],
    [128, 512, 512, 4, 1, 3, 1],
  ],
};

async function session(form, n, c, o, h, s, k, pad) {
  const oh = Math.floor((h + 2 * pad - k) / s) + 1;
  const t = new Tracer('filter-grad');
  const x = t.input('x', 'float32', [n, c, h, h]);
  const dy = t.input('dy', 'float32', [n, o, oh, oh]);
  t.output('dw', t.op('conv2dBackpropFilter', [x, dy], { strides: [s, s], pads: [pad, pad, pad, pad], filterShape: [o, c, k, k] }));
  const lowered = lowerProgram(t.build(), { lowerings: { ...LOWERINGS, conv2dBackpropFilter: FORMS[form] } });
  const run = await ort.InferenceSession.create(lowered.model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', enableMemPattern: false, intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
  const feeds = {
    'input:x': new ort.Tensor('float32', Float32Array.from({ length: n * c * h * h }, (_, i) => Math.sin(i)), [n, c, h, h]),
    'input:dy': new ort.Tensor('float32', Float32Array.from({ length: n * o * oh * oh }, (_, i) => Math.cos(i)), [n, o, oh, oh]),
  };
  await run.run(feeds);
  return { run, feeds };
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, ${threads} intra-op threads; ms, minimum of ${reps} interleaved runs; load ${loadavg()[0].toFixed(2)}`);
console.log(`${'N C O H stride kernel pad'.padEnd(30)}${Object.keys(FORMS).map((f) => f.padEnd(10)).join('')}CPU profile picks`);
for (const model of models) {
  for (const shape of SHAPES[model]) {
    const sessions = {};
    const [n, c, o, h, s, k, pad] = shape;
    const oh = Math.floor((h + 2 * pad - k) / s) + 1;
    // The windows form applies at stride 1 with dy the size of x only; its column reads '-' elsewhere.
    for (const form of Object.keys(FORMS)) if (form !== 'windows' || windowsApply([n, c, h, h], [n, o, oh, oh], [s, s])) sessions[form] = await session(form, ...shape);
    const best = Object.fromEntries(Object.keys(FORMS).map((f) => [f, Infinity]));
    for (let r = 0; r < reps; r++) {
      for (const form of Object.keys(sessions)) {
        const t = performance.now();
        await sessions[form].run.run(sessions[form].feeds);
        best[form] = Math.min(best[form], performance.now() - t);
      }
    }
    for (const s of Object.values(sessions)) await s.run.release();
    const picked = filterGradForm([n, c, h, h], [n, o, oh, oh], [k, k], [s, s]);
    console.log(`${shape.join(' ').padEnd(30)}${Object.values(best).map((ms) => (ms === Infinity ? '-' : ms.toFixed(1)).padEnd(10)).join('')}${picked}`);
  }
}
console.log(`load ${loadavg()[0].toFixed(2)} at the end`);

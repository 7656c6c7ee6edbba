#!/usr/bin/env node
// Tunes the WebGPU driver's convolution tiles on the device it runs on, for the training steps the issue
// times: ResNet-18 (CIFAR stem) at batch 128 and the small CNN (width 32) at batch 64, SGD with momentum.
// The layers are read from those steps' programs (every conv2d, conv2dBackpropInput and
// conv2dBackpropFilter node, by the key the driver's tile table uses), never listed by hand.
//
// For each layer, costliest first (2*M*N*K multiply-adds times how often the step runs it), it times
// every candidate tile (the default first) on that layer alone: GPU timestamps around each dispatch when
// the adapter has 'timestamp-query', else wall time around queue completion of several runs. Then it
// times both whole steps with the default table and with the tuned one (ms a step, and each kernel's
// GPU time from one profiled step). Writes to --out (default $OUT, else /tmp/ltssl-tune):
//   conv-tile-table.json  the best tile per layer, with the device and the date: the driver's table
//   conv-tile-table.ts    the same as packages/driver-webgpu/src/kernels/conv-tile-table.ts, to commit
//   tune-times.json       every (layer, tile) time measured, how it was measured, what was skipped
//   step-kernels.json     per model and table: ms a step and GPU time per kernel name
// and prints a summary. It stops sweeping when --budget-s (default 420) is spent, keeping the time the
// step timings need, and says which layers it did not reach; --resume FILE (an earlier tune-times.json)
// keeps that run's measurements, so a second device run continues where the first stopped.
// Options: --quick (a few candidate tiles, 3 repeats, 3 steps), --models resnet18,small-cnn,
// --batch N (both models; a software adapter's dry run uses a small one), --repeats N, --steps N.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProgramBuilder } from '@ltssl/core';
import { candidateTiles, CONV_TILE_TABLE, convLayers, DEFAULT_CONV_TILE, WebGpuDriver } from '@ltssl/driver-webgpu';
import { STEP_MODELS, stepFeeds, stepProgram } from '../bench/step-program.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const out = option('out', process.env.OUT || '/tmp/ltssl-tune');
const models = option('models', 'resnet18,small-cnn').split(',');
const batchOverride = option('batch', undefined);
const budgetMs = Number(option('budget-s', '420')) * 1000;
const repeats = Number(option('repeats', quick ? '3' : '5'));
const stepRuns = Number(option('steps', quick ? '3' : '10'));
const resume = option('resume', undefined);
const BATCH = { resnet18: 128, 'small-cnn': 64 };
for (const m of models) if (!STEP_MODELS.includes(m)) throw new Error(`tune-webgpu: unknown model '${m}'; choose ${STEP_MODELS.join(', ')}`);
const started = performance.now();
const elapsed = () => performance.now() - started;

/** One convolution alone, its operands as state and its result an update: a run uploads and reads back nothing. */
function layerProgram(program, layer) {
  const node = program.graph.node(layer.node);
  const b = new ProgramBuilder(`tune ${layer.key}`);
  const inputs = node.inputs.map((id, i) => b.state({ name: `in${i}`, dtype: 'float32', shape: program.graph.node(id).shape, init: { kind: 'fill', value: 0.25 }, trainable: false }));
  b.state({ name: 'out', dtype: 'float32', shape: node.shape, init: { kind: 'fill', value: 0 }, trainable: false });
  b.update('out', b.op(node.op, inputs, node.attrs));
  return b.build();
}

const flops = (s) => 2 * s.outChannels * s.batch * s.outH * s.outW * s.channels * s.kernelH * s.kernelW;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tileName = (t) => `${t.bm}x${t.bn}x${t.bk} ${t.tm}x${t.tn}${t.split ? ` split ${t.split}` : ''}`;

const driver = new WebGpuDriver({ profiling: true });
const info = await driver.init();
console.log(`tune-webgpu on ${info.device}${info.software ? ' (a software adapter: a dry run, its times say nothing about a GPU)' : ''}`);

// The layers of every step, merged by key (ResNet's blocks repeat shapes), costliest first.
const programs = Object.fromEntries(models.map((m) => [m, stepProgram(m, Number(batchOverride ?? BATCH[m]), `tune-${m}`)]));
const layers = new Map();
for (const [model, program] of Object.entries(programs)) {
  for (const layer of convLayers(program)) {
    const entry = layers.get(layer.key) ?? { ...layer, program, models: new Set(), count: 0 };
    entry.models.add(model);
    entry.count++;
    layers.set(layer.key, entry);
  }
}
const order = [...layers.values()].sort((a, b) => flops(b.shape) * b.count - flops(a.shape) * a.count);
const candidates = [DEFAULT_CONV_TILE, ...candidateTiles(quick).filter((t) => JSON.stringify(t) !== JSON.stringify(DEFAULT_CONV_TILE))];
console.log(`${order.length} distinct convolution layers in ${models.join(', ')}; ${candidates.length} candidate tiles each`);

const previous = resume && existsSync(resume) ? JSON.parse(readFileSync(resume, 'utf8')) : undefined;
const times = previous?.layers ?? {};

/** GPU time of one layer with one tile, in ms (the kernel and its split-K sum, when it has one). */
async function timeLayer(layer, tile) {
  driver.convTiles = { device: 'tuning', measured: null, entries: { [layer.key]: tile } };
  const executable = await driver.compile(layerProgram(layer.program, layer));
  try {
    await executable.run({}, []);
    if (driver.context.timestamps) {
      const runs = [];
      for (let r = 0; r < repeats; r++) runs.push((await executable.profile({}, [])).kernels.reduce((sum, k) => sum + k.ns, 0) / 1e6);
      return median(runs);
    }
    const { queue } = driver.context.device;
    await queue.onSubmittedWorkDone();
    const t0 = performance.now();
    for (let r = 0; r < repeats; r++) await executable.run({}, []);
    await queue.onSubmittedWorkDone();
    return (performance.now() - t0) / repeats;
  } finally {
    executable.dispose();
  }
}

// Reserve for the two step timings per model at the end: a guess from the default's layer times, refined as we go.
const reserveMs = () => models.length * 2 * (stepRuns + 4) * Math.max(50, order.reduce((sum, l) => sum + (times[l.key]?.[JSON.stringify(DEFAULT_CONV_TILE)] ?? 0) * l.count, 0)) + 20_000;
const skipped = [];
for (const layer of order) {
  const measured = (times[layer.key] ??= {});
  for (const tile of candidates) {
    const id = JSON.stringify(tile);
    if (measured[id] !== undefined) continue;
    if (elapsed() > budgetMs - reserveMs()) break;
    try {
      measured[id] = await timeLayer(layer, tile);
    } catch (error) {
      measured[id] = null;
      console.log(`  ${layer.key} ${tileName(tile)}: ${error.message.split('\n')[0]}`);
    }
  }
  const done = candidates.filter((t) => measured[JSON.stringify(t)] !== undefined).length;
  if (done < candidates.length) skipped.push({ key: layer.key, measured: done, of: candidates.length });
  const best = Object.entries(measured).filter(([, ms]) => ms !== null).sort((a, b) => a[1] - b[1])[0];
  const base = measured[JSON.stringify(DEFAULT_CONV_TILE)];
  if (best) console.log(`${layer.key} (x${layer.count}): default ${base?.toFixed(3) ?? '-'} ms, best ${tileName(JSON.parse(best[0]))} ${best[1].toFixed(3)} ms (${done}/${candidates.length} tiles)`);
}

const date = new Date().toISOString().slice(0, 10);
const method = driver.context?.timestamps ? 'GPU timestamps (timestamp-query)' : 'wall time around queue completion';
const entries = {};
for (const [key, measured] of Object.entries(times)) {
  const best = Object.entries(measured).filter(([, ms]) => ms !== null).sort((a, b) => a[1] - b[1])[0];
  if (best && best[0] !== JSON.stringify(DEFAULT_CONV_TILE)) entries[key] = JSON.parse(best[0]);
}
const table = { device: `${info.device}${batchOverride ? ` (batch ${batchOverride}: a dry run, not the issue's shapes)` : ''}`, measured: date, entries };

// Whole steps, default table against the tuned one.
const steps = {};
for (const model of models) {
  const program = programs[model];
  const feeds = stepFeeds(Number(batchOverride ?? BATCH[model]));
  for (const [name, tiles] of [['default', CONV_TILE_TABLE], ['tuned', table]]) {
    driver.convTiles = tiles;
    const executable = await driver.compile(program);
    for (let i = 0; i < 2; i++) await executable.run(feeds, ['loss']);
    const t0 = performance.now();
    for (let i = 0; i < stepRuns; i++) await executable.run(feeds, ['loss']);
    const msPerStep = (performance.now() - t0) / stepRuns;
    const kernels = {};
    let gpuMs;
    if (driver.context.timestamps) {
      const profiled = await executable.profile(feeds, ['loss']);
      for (const k of profiled.kernels) {
        const entry = (kernels[k.kernel] ??= { dispatches: 0, ms: 0 });
        entry.dispatches++;
        entry.ms += k.ns / 1e6;
      }
      gpuMs = profiled.kernels.reduce((sum, k) => sum + k.ns, 0) / 1e6;
    }
    executable.dispose();
    steps[`${model} ${name}`] = { model, batch: Number(batchOverride ?? BATCH[model]), table: name, msPerStep, gpuMs, kernels };
    console.log(`${model} step, ${name} tiles: ${msPerStep.toFixed(2)} ms a step${gpuMs === undefined ? '' : `, ${gpuMs.toFixed(2)} ms of GPU time in kernels`}`);
  }
}
driver.convTiles = undefined;

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'conv-tile-table.json'), JSON.stringify(table, null, 2) + '\n');
writeFileSync(
  join(out, 'conv-tile-table.ts'),
  `import type { ConvTileTable } from './conv-tiles.js';

/**
 * The convolution tiles by layer, as tools/gpu-check/tune-webgpu.mjs writes them: measured on
 * ${table.device}, ${date}, by ${method}. Layers not listed take DEFAULT_CONV_TILE (it was fastest, or not measured).
 */
export const CONV_TILE_TABLE: ConvTileTable = ${JSON.stringify(table, null, 2)};
`,
);
const complete = skipped.length === 0;
writeFileSync(
  join(out, 'tune-times.json'),
  JSON.stringify({ device: info.device, date, method, quick, models, batch: batchOverride ? Number(batchOverride) : BATCH, repeats, complete, skipped, candidates, layers: times, seconds: elapsed() / 1000 }, null, 2) + '\n',
);
writeFileSync(join(out, 'step-kernels.json'), JSON.stringify(steps, null, 2) + '\n');
console.log(`${Object.keys(entries).length} layers tuned away from the default; ${complete ? 'every layer measured' : `${skipped.length} layers not fully measured (budget): rerun with --resume ${join(out, 'tune-times.json')}`}; ${(elapsed() / 1000).toFixed(0)} s; wrote ${out}`);
await driver.dispose();

// One (driver, model) configuration of tools/bench/train-step.mjs, in its own
// process so peak RSS belongs to it alone. Prints one JSON line.
// Arguments: model batch warmup steps threads [driver: onnx (default), onnx-webgpu, webgpu or tfjs].
import { stepFeeds, stepProgram } from './step-program.mjs';

const [model, batch, warmup, steps, threads] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const driverName = process.argv[7] ?? 'onnx';

// webgpu: the adapter the driver picks (a GPU first); on llvmpipe the parent sets LP_NUM_THREADS.
// onnx-webgpu: ONNX Runtime's WebGPU provider, on the Vulkan adapter its own Dawn picks.
// tfjs: the wasm engine, single-threaded in Node whatever `threads` says.
// Each driver package is imported only when asked for.
const driver =
  driverName === 'webgpu'
    ? new (await import('@ltssl/driver-webgpu')).WebGpuDriver()
    : driverName === 'tfjs'
      ? new (await import('@ltssl/driver-tfjs')).TfjsDriver({ backend: 'tfjs-wasm' })
      : driverName === 'onnx-webgpu'
        ? new (await import('@ltssl/driver-onnx')).OnnxDriver({ provider: 'webgpu' })
        : new (await import('@ltssl/driver-onnx')).OnnxDriver({ provider: 'cpu', intraOpThreads: threads });
const info = await driver.init();
const compileStart = performance.now();
const executable = await driver.compile(stepProgram(model, batch));
const compileMs = performance.now() - compileStart;
const feeds = stepFeeds(batch);
for (let i = 0; i < warmup; i++) await executable.run(feeds, ['loss']);
const start = performance.now();
for (let i = 0; i < steps; i++) await executable.run(feeds, ['loss']);
const ms = (performance.now() - start) / steps;
// tfjs: one more step under tfjs's profiler, for the share of time in transposes.
const profile = driverName === 'tfjs' ? await (await import('./tfjs-profile.mjs')).profileStep(executable, feeds) : {};
executable.dispose();
await driver.dispose();
console.log(JSON.stringify({ device: info.device, software: info.details.software === 'true', ...profile, compileMs, msPerStep: ms, imagesPerSecond: (batch * 1000) / ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));

// One (driver, model) configuration of tools/bench/train-step.mjs, in its own
// process so peak RSS belongs to it alone. Prints one JSON line.
// Arguments: model batch warmup steps threads [driver: onnx (default), onnx-webgpu, webgpu or tfjs].
import { bindModel, CounterRng, crossEntropy, hostTensor, Linear, minimize, ResNet18, RNG_STREAMS, Sgd, SmallCnn, Tracer } from '@ltssl/core';

const [model, batch, warmup, steps, threads] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const driverName = process.argv[7] ?? 'onnx';

function program() {
  const tracer = new Tracer(`bench-${model}`);
  const x = tracer.input('x', 'float32', [batch, 3, 32, 32]);
  const labels = tracer.input('labels', 'int32', [batch]);
  const lr = tracer.input('lr', 'float32', []);
  const encoder = model === 'small-cnn' ? new SmallCnn({ inChannels: 3, width: 32 }) : new ResNet18({ inChannels: 3, width: 64 });
  const head = new Linear(encoder.featureDim, 10);
  const ev = bindModel(tracer, encoder, { seed: 0, prefix: 'encoder.' });
  const hv = bindModel(tracer, head, { seed: 0, prefix: 'head.' });
  const logits = head.apply(hv, encoder.apply(ev, x, { training: true, prefix: 'encoder.' }), { training: true, prefix: 'head.' });
  const loss = crossEntropy(logits, labels);
  minimize(tracer, loss, [ev, hv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}

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
const executable = await driver.compile(program());
const compileMs = performance.now() - compileStart;
const data = new Float32Array(batch * 3 * 32 * 32);
new CounterRng(0, RNG_STREAMS.data, 0).fillNormal(data);
const rng = new CounterRng(0, RNG_STREAMS.data, 1);
const feeds = {
  x: hostTensor('float32', [batch, 3, 32, 32], data),
  labels: hostTensor('int32', [batch], Array.from({ length: batch }, (_, i) => rng.int(i, 10))),
  lr: hostTensor('float32', [], [0.01]),
};
for (let i = 0; i < warmup; i++) await executable.run(feeds, ['loss']);
const start = performance.now();
for (let i = 0; i < steps; i++) await executable.run(feeds, ['loss']);
const ms = (performance.now() - start) / steps;
// tfjs: one more step under tfjs's profiler, for the share of time in transposes.
const profile = driverName === 'tfjs' ? await (await import('./tfjs-profile.mjs')).profileStep(executable, feeds) : {};
executable.dispose();
await driver.dispose();
console.log(JSON.stringify({ device: info.device, software: info.details.software === 'true', ...profile, compileMs, msPerStep: ms, imagesPerSecond: (batch * 1000) / ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));

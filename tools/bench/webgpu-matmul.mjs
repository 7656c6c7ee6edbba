// One float32 matmul on the WebGPU driver, in its own process: n = 4096 on a
// GPU, 512 on a software adapter (llvmpipe). Prints one JSON line with GFLOP/s
// (2 n^3 flops per product), the median of 5 timed runs after 2 warm-ups; each
// run includes uploading A and B and reading C back, as a training step would
// not, so it is a lower bound on the kernel's rate.
import { CounterRng, hostTensor, ProgramBuilder, RNG_STREAMS } from '@ltssl/core';
import { WebGpuDriver } from '@ltssl/driver-webgpu';

const driver = new WebGpuDriver();
const info = await driver.init();
const software = info.details.software === 'true';
const n = Number(process.argv[2] ?? (software ? 512 : 4096));
const b = new ProgramBuilder('matmul-bench');
// Ten chained products per run, so upload and readback (n^2 each) weigh little against 10 n^3 multiply-adds.
const a = b.input('a', 'float32', [n, n]);
let y = b.input('b', 'float32', [n, n]);
const chain = 10;
for (let i = 0; i < chain; i++) y = b.op('matmul', [a, y], { transposeA: false, transposeB: false });
b.output('y', b.op('reduceSum', [y], { axes: [0, 1], keepDims: false }));
const executable = await driver.compile(b.build());
const data = new Float32Array(n * n);
new CounterRng(0, RNG_STREAMS.data, 0).fillNormal(data);
// Scaled so ten products stay finite: entries of A ~ N(0, 1/n).
const scaled = data.map((v) => v / Math.sqrt(n));
const feeds = { a: hostTensor('float32', [n, n], scaled), b: hostTensor('float32', [n, n], data) };
for (let i = 0; i < 2; i++) await executable.run(feeds);
const times = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  await executable.run(feeds);
  times.push(performance.now() - start);
}
times.sort((p, q) => p - q);
const ms = times[2] / chain;
executable.dispose();
await driver.dispose();
console.log(JSON.stringify({ device: info.device, n, ms, gflops: (2 * n ** 3) / (ms * 1e6) }));

#!/usr/bin/env node
// Benchmark (not a test): one training step (forward + backward + SGD) of the
// small CNN (batch 64, 3x32x32) and ResNet-18 CIFAR (batch 128) on driver-onnx,
// and on PyTorch (Debian's python3-torch, 2 threads, OpenBLAS) in the same run
// when it is installed. Prints a table with the ratio to PyTorch and writes
// reports/bench/train-step.json. Run with `npm run bench` (builds first).
// Options: --quick (fewer steps), --models small-cnn,resnet18, --threads 1,2,
// --drivers onnx,webgpu,onnx-webgpu,tfjs (default onnx; webgpu rows also print a matmul GFLOP/s line;
// on llvmpipe --threads sets LP_NUM_THREADS; onnx-webgpu is ONNX Runtime's WebGPU provider, one row
// per model; tfjs runs its wasm engine, one thread in Node, so it has one row per model, and prints
// its share of kernel time in transposes),
// --spinning 0,1 (ORT CPU intra-op spinning, one onnx row per value; default 0, the driver's default),
// --torch cpu|cuda|none (PyTorch's rows: cpu, 2 threads, by default; cuda with TF32 off, as
// tools/gpu-check.sh runs it), --python PATH (the python3 with torch; default /usr/bin/python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const models = option('models', 'small-cnn,resnet18').split(',');
const threadCounts = option('threads', '1,2').split(',').map(Number);
const drivers = option('drivers', 'onnx').split(',');
const spinnings = option('spinning', '0').split(',');
for (const s of spinnings) if (s !== '0' && s !== '1') throw new Error(`--spinning ${s}: give 0, 1 or 0,1`);
const SETTINGS = {
  'small-cnn': { batch: 64, warmup: quick ? 2 : 5, steps: quick ? 5 : 30 },
  resnet18: { batch: 128, warmup: 1, steps: quick ? 1 : 3 },
};

function runJson(command, commandArgs, env = process.env) {
  const run = spawnSync(command, commandArgs, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

// A configuration that fails (a driver that does not start, a crash) is a row naming why, and the run goes
// on to the others: on a lent GPU machine one broken engine must not cost the other rows. Exit status 1.
function measured(what, run) {
  try {
    return run();
  } catch (error) {
    process.exitCode = 1;
    // The child's uncaught error prints as 'SomeError: message' between its source line and its stack.
    const lines = String(error.message).trim().split('\n');
    const reason = lines.find((l) => /^[A-Za-z]*Error: /.test(l)) ?? lines.pop();
    process.stderr.write(`${what} FAILED: ${reason}\n`);
    return { error: reason };
  }
}

const TORCH = option('python', '/usr/bin/python3');
const torchDevice = option('torch', 'cpu');
if (!['cpu', 'cuda', 'none'].includes(torchDevice)) throw new Error(`--torch ${torchDevice}: choose cpu, cuda or none`);
// Why PyTorch gives no rows (undefined: it does). ResNet-18 also needs torchvision.
function torchMissing() {
  if (torchDevice === 'none') return '--torch none';
  if (!existsSync(TORCH)) return `no ${TORCH}`;
  const probe = spawnSync(TORCH, ['-c', `import torch; assert ${torchDevice === 'cuda' ? 'torch.cuda.is_available()' : 'True'}, 'torch.cuda.is_available() is False'; print(torch.__version__)`], { encoding: 'utf8' });
  if (probe.status !== 0) return `${TORCH} cannot run torch on ${torchDevice}: ${probe.stderr.trim().split('\n').pop()}`;
  torchVersion = probe.stdout.trim();
  return undefined;
}
let torchVersion = '';
const torchWhyNot = torchMissing();
const torchvision = torchWhyNot === undefined && spawnSync(TORCH, ['-c', 'import torchvision'], { encoding: 'utf8' }).status === 0;
const openblas = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const torchThreads = torchDevice === 'cuda' ? cpus().length : 2;
// PASSIVE: PyTorch's OpenMP threads otherwise spin between ops, which is fast alone and unfair (and slow)
// beside anything else on 2 cores; the pairing is with ORT's spinning set by --spinning.
const torchEnv = { ...process.env, OMP_NUM_THREADS: String(torchThreads), OMP_WAIT_POLICY: 'PASSIVE', ...(torchDevice === 'cpu' && existsSync(openblas) ? { LD_LIBRARY_PATH: `${openblas}:${process.env.LD_LIBRARY_PATH ?? ''}` } : {}) };
const torchEngine =
  torchDevice === 'cuda' ? `pytorch ${torchVersion} cuda (TF32 off)` : `pytorch (${torchThreads} threads, PASSIVE${existsSync(openblas) ? ', OpenBLAS' : ''})`;

const rows = [];
for (const model of models) {
  const { batch, warmup, steps } = SETTINGS[model];
  let torch;
  if (torchWhyNot === undefined && (model !== 'resnet18' || torchvision)) {
    process.stderr.write(`pytorch ${torchDevice} ${model} batch ${batch}...\n`);
    torch = measured(`pytorch ${model}`, () => runJson(TORCH, [join(here, 'torch_step.py'), model, batch, warmup, steps, torchThreads, torchDevice], torchEnv));
    rows.push({ model, batch, engine: torchEngine, driver: `pytorch-${torchDevice}`, ...torch, ratio: torch.error ? null : 1 });
    if (torch.error) torch = undefined;
  }
  for (const driver of drivers) {
    for (const [threads, spin] of threadCounts.flatMap((t) => (driver === 'onnx' ? spinnings : ['0']).map((sp) => [t, sp]))) {
      process.stderr.write(`${driver} ${model} batch ${batch}, ${threads} thread(s)${driver === 'onnx' ? `, spin ${spin}` : ''}...\n`);
      const env = { ...process.env, LP_NUM_THREADS: String(threads), LTSSL_ONNX_SPINNING: spin };
      const row = measured(`${driver} ${model}`, () => runJson(process.execPath, [join(here, 'train-step-worker.mjs'), model, batch, warmup, steps, threads, driver], env));
      const engine =
        driver === 'webgpu'
          ? `webgpu ${row.software ? `llvmpipe (${threads} thread${threads === 1 ? '' : 's'})` : 'gpu'}`
          : driver === 'onnx-webgpu'
            ? `onnx webgpu ${row.software ? '(software adapter)' : 'gpu'}`
            : driver === 'tfjs'
              ? 'tfjs wasm (1 thread, SIMD)'
              : `onnx cpu (${threads} thread${threads === 1 ? '' : 's'}, spin ${spin})`;
      rows.push({ model, batch, engine: row.error ? driver : engine, driver, ...row, ratio: torch && !row.error ? row.msPerStep / torch.msPerStep : null });
      if (row.error) break;
      if (driver === 'webgpu' && !row.software) break; // a GPU ignores the thread count
      if (driver === 'onnx-webgpu' || driver === 'tfjs') break; // no thread count: a GPU provider; the wasm backend is single-threaded in Node
    }
  }
}
const matmul = drivers.includes('webgpu') ? measured('webgpu matmul', () => runJson(process.execPath, [join(here, 'webgpu-matmul.mjs')], { ...process.env, LP_NUM_THREADS: String(Math.max(...threadCounts)) })) : undefined;

const pad = (s, n) => String(s).padEnd(n);
const torchNote = torchWhyNot ? ` (no PyTorch rows, no ratio: ${torchWhyNot})` : torchvision ? '' : ` (no torchvision for ${TORCH}: no PyTorch ResNet-18 row)`;
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}${torchNote}`);
console.log(`${pad('model', 10)} ${pad('batch', 5)} ${pad('engine', 40)} ${pad('ms/step', 9)} ${pad('images/s', 9)} ${pad('peak RSS', 10)} time vs PyTorch`);
for (const r of rows) {
  if (r.error) {
    console.log(`${pad(r.model, 10)} ${pad(r.batch, 5)} ${pad(r.engine, 40)} FAILED: ${r.error}`);
    continue;
  }
  console.log(`${pad(r.model, 10)} ${pad(r.batch, 5)} ${pad(r.engine, 40)} ${pad(r.msPerStep.toFixed(1), 9)} ${pad(r.imagesPerSecond.toFixed(0), 9)} ${pad(`${r.peakRssMiB.toFixed(0)} MiB`, 10)} ${r.ratio === null ? '-' : r.ratio.toFixed(2)}`);
}
for (const r of rows.filter((r) => r.kernelMs !== undefined)) {
  console.log(`tfjs ${r.model}: transposes ${(100 * r.transposeShare).toFixed(1)}% of kernel time (${r.kernelMs.toFixed(0)} ms a step); the layout pass's own ${r.layoutTransposes} take ${r.layoutTransposeMs.toFixed(1)} ms (${(100 * r.layoutTransposeMs / r.msPerStep).toFixed(1)}% of the step)`);
}
if (matmul?.error) console.log(`webgpu matmul FAILED: ${matmul.error}`);
else if (matmul) console.log(`webgpu matmul ${matmul.n}x${matmul.n}x${matmul.n} float32 on ${matmul.device}: ${matmul.gflops.toFixed(1)} GFLOP/s (${matmul.ms.toFixed(1)} ms)`);
mkdirSync(join(root, 'reports', 'bench'), { recursive: true });
const out = join(root, 'reports', 'bench', 'train-step.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, torch: torchWhyNot ?? `${torchDevice} ${torchVersion}`, rows, ...(matmul ? { matmul } : {}) }, null, 2));
console.log(`written to ${out}`);

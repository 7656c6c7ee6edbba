// The WebGPU path of the CLI for tools/gpu-check.sh, bundled into one file by
// tools/gpu-pack.mjs (no node_modules on the GPU machine but Dawn's binary):
//   adapters [--require-gpu]          what each Dawn backend finds (the probe of `ltssl drivers`);
//                                     with --require-gpu, exit 3 naming why there is no GPU adapter
//   conformance [--backend NAME]      the conformance suite on webgpu-gpu (default) or webgpu,
//                                     as `ltssl conformance --backend NAME` runs it
//   drift [--backend NAME]            the ResNet-18 step check's error per step, alone and carried,
//                                     against the reference's own sensitivity (step-drift.mjs)
//   train [--backend NAME] [--method M] [--arch A] [--width W] [--epochs E] [--batch B] [--total N]
//                                     a pre-training run on the embedded Fashion-MNIST with a kNN
//                                     monitor each epoch, planned as `ltssl train` plans it
//                                     (planTrainRun), so the same run on a CPU driver compares
import { runConformance } from '@ltssl/conformance';
import { stepDrift } from './step-drift.mjs';
import { chooseAdapter, probeBackends, webgpuRegistrations, WEBGPU_KNOWN_GAPS } from '@ltssl/driver-webgpu';
// Deep imports, not the package's index: the index also pulls in the results store and the report
// (better-sqlite3, resvg: native modules the pack does not carry).
import { loadDataset } from '../../packages/experiments/src/data/datasets.ts';
import { pretrain } from '../../packages/experiments/src/train/pretrain.ts';
import { planTrainRun } from '../../packages/experiments/src/train/train-run.ts';

const [command, ...rest] = process.argv.slice(2);
const option = (name, fallback) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : fallback;
};

if (command === 'adapters') {
  const probes = await probeBackends(['vulkan', 'opengl']);
  for (const p of probes) {
    console.log(p.ok ? `${p.backend}: ${p.software ? 'software' : 'hardware'} adapter ${JSON.stringify(p.adapter)}` : `${p.backend}: no adapter: ${p.reason}`);
  }
  const hardware = chooseAdapter(probes, 'hardware');
  if ('reason' in hardware) {
    console.log(`NO GPU ADAPTER: ${hardware.reason}`);
    process.exit(rest.includes('--require-gpu') ? 3 : 0);
  }
  console.log(`GPU adapter: ${hardware.choice.backend} ${hardware.choice.adapter.device}`);
} else if (command === 'conformance') {
  const backend = option('backend', 'webgpu-gpu');
  const registration = webgpuRegistrations.find((r) => r.name === backend);
  if (!registration) throw new Error(`unknown backend '${backend}'; choose ${webgpuRegistrations.map((r) => r.name).join(' or ')}`);
  const started = Date.now();
  const report = await runConformance(() => registration.create(), {
    knownGaps: WEBGPU_KNOWN_GAPS,
    onResult: (r) => r.status !== 'passed' && console.log(`${r.status === 'failed' ? 'FAIL' : 'skip'} ${r.id}: ${r.message}`),
  });
  console.log(`conformance of driver '${backend}' on ${report.driver.device}`);
  console.log(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(report.failed > 0 ? 1 : 0);
} else if (command === 'drift') {
  const backend = option('backend', 'webgpu-gpu');
  const registration = webgpuRegistrations.find((r) => r.name === backend);
  if (!registration) throw new Error(`unknown backend '${backend}'; choose ${webgpuRegistrations.map((r) => r.name).join(' or ')}`);
  const driver = await registration.create();
  await driver.init();
  console.log(`step drift of driver '${backend}' on ${driver.device ?? backend}`);
  await stepDrift(driver);
  process.exit(0);
} else if (command === 'train') {
  const backend = option('backend', 'webgpu-gpu');
  const registration = webgpuRegistrations.find((r) => r.name === backend);
  if (!registration) throw new Error(`unknown backend '${backend}'; choose ${webgpuRegistrations.map((r) => r.name).join(' or ')}`);
  const o = {
    method: option('method', 'simclr'),
    methodOptions: {},
    arch: option('arch', 'small-cnn'),
    width: Number(option('width', '32')),
    epochs: Number(option('epochs', '10')),
    batch: Number(option('batch', '256')),
    seed: 0,
    profile: 'exp',
    ratio: 1,
    knnEvery: 1,
    knnK: 20,
    ...(option('total') ? { total: Number(option('total')) } : {}),
  };
  const data = await loadDataset('fashion-mnist');
  const plan = planTrainRun(data, o);
  const driver = await registration.create();
  const info = await driver.init();
  console.log(`train ${o.method} on ${data.name} (${plan.pretrain.indices.length} images), ${o.arch} width ${o.width}, ${o.epochs} epochs at batch ${o.batch}, lr ${plan.lr.toPrecision(3)}; driver '${backend}' on ${info.device}`);
  const started = Date.now();
  const result = await pretrain(driver, plan.pretrain, {
    onEpoch: (m, epochs) => {
      const monitors = Object.entries(m.monitors).map(([k, v]) => `${k} ${v.toFixed(4)}`);
      console.log([`epoch ${m.epoch + 1}/${epochs}`, `loss ${m.loss.toFixed(4)}`, ...monitors, `kNN ${(100 * m.knnAccuracy).toFixed(1)}%`, `${m.seconds.toFixed(1)} s`].join('  '));
    },
  });
  result.executable.dispose();
  await driver.dispose();
  console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
} else {
  console.error('usage: gpu-check.mjs adapters [--require-gpu] | conformance [--backend webgpu-gpu|webgpu] | drift [--backend webgpu-gpu|webgpu] | train [--backend webgpu-gpu|webgpu] [--method M] [--arch A] [--width W] [--epochs E] [--batch B] [--total N]');
  process.exit(2);
}

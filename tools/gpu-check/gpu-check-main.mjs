// The WebGPU path of the CLI for tools/gpu-check.sh, bundled into one file by
// tools/gpu-pack.mjs (no node_modules on the GPU machine but Dawn's binary):
//   adapters [--require-gpu]          what each Dawn backend finds (the probe of `ltssl drivers`);
//                                     with --require-gpu, exit 3 naming why there is no GPU adapter
//   conformance [--backend NAME]      the conformance suite on webgpu-gpu (default) or webgpu,
//                                     as `ltssl conformance --backend NAME` runs it
//   drift [--backend NAME]            the ResNet-18 step check's error per step, alone and carried,
//                                     against the reference's own sensitivity (step-drift.mjs)
import { runConformance } from '@ltssl/conformance';
import { stepDrift } from './step-drift.mjs';
import { chooseAdapter, probeBackends, webgpuRegistrations, WEBGPU_KNOWN_GAPS } from '@ltssl/driver-webgpu';

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
} else {
  console.error('usage: gpu-check.mjs adapters [--require-gpu] | conformance [--backend webgpu-gpu|webgpu] | drift [--backend webgpu-gpu|webgpu]');
  process.exit(2);
}

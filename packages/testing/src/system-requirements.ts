import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * A system package (or set of them) some tests need. The README names each one;
 * .ci/run installs them all. Checks look for the files the tests read, not for
 * dpkg records, so they hold on any distribution.
 */
export interface SystemRequirement {
  /** What it provides, in words ("Debian's full Fashion-MNIST"). */
  readonly what: string;
  /** The Debian 12 packages that provide it. */
  readonly packages: readonly string[];
  /** How to install it on Debian 12, as a command. */
  readonly install: string;
  /** True when it is installed here. */
  present(): boolean;
  /**
   * Why CI does without it, for a requirement .ci/run deliberately does not
   * install: the tests needing it skip under CI=true too (their title says
   * this), instead of failing.
   */
  readonly optionalInCi?: string;
}

const LIB = ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];
const hasLibrary = (name: string | RegExp): boolean =>
  LIB.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => (typeof name === 'string' ? f === name : name.test(f))));
const hasDri = (): boolean => LIB.some((dir) => existsSync(`${dir}/dri`) && readdirSync(`${dir}/dri`).some((f) => /swrast|kms_swrast/.test(f)));

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/** The Vulkan API version of Mesa's lavapipe manifest, e.g. [1, 4, 305], or undefined when absent. */
function lavapipeApiVersion(): number[] | undefined {
  for (const dir of ICD_DIRS) {
    const file = `${dir}/lvp_icd.json`;
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { api_version?: string } };
    return (manifest.ICD?.api_version ?? '0').split('.').map(Number);
  }
  return undefined;
}

export const FASHION_MNIST_FULL: SystemRequirement = {
  what: "Debian's full Fashion-MNIST (/usr/share/datasets/fashion-mnist)",
  packages: ['dataset-fashion-mnist'],
  install: 'apt-get install dataset-fashion-mnist',
  present: () => existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'),
};

export const MESA_LLVMPIPE: SystemRequirement = {
  what: "Mesa's llvmpipe through EGL (the WebGPU driver's software adapter, Dawn's OpenGL backend)",
  packages: ['libegl1', 'libgl1-mesa-dri'],
  install: 'apt-get install libegl1 libgl1-mesa-dri',
  present: () => hasLibrary('libEGL.so.1') && (hasDri() || hasLibrary(/^libgallium-.*\.so$/)),
};

/**
 * Mesa 25's lavapipe, the software Vulkan driver Dawn accepts (Debian 12's own
 * Mesa 22 lavapipe is too old for Dawn; bookworm-backports has 25).
 */
export const MESA_LAVAPIPE: SystemRequirement = {
  what: "Mesa 25's lavapipe (a software Vulkan adapter, for ONNX Runtime's WebGPU provider)",
  packages: ['libvulkan1', 'mesa-vulkan-drivers'],
  install: 'apt-get install libvulkan1 && apt-get install -t bookworm-backports mesa-vulkan-drivers (add bookworm-backports to apt sources first)',
  present: () => {
    const version = lavapipeApiVersion();
    return hasLibrary('libvulkan.so.1') && version !== undefined && (version[0]! > 1 || (version[0] === 1 && version[1]! >= 4));
  },
};

/** A software WebGPU adapter of either kind: what the WebGPU driver's tests run on. */
export const SOFTWARE_WEBGPU: SystemRequirement = {
  what: 'a software WebGPU adapter (Mesa llvmpipe through EGL, or Mesa 25 lavapipe)',
  packages: [...MESA_LLVMPIPE.packages],
  install: MESA_LLVMPIPE.install,
  present: () => MESA_LLVMPIPE.present() || MESA_LAVAPIPE.present(),
};

/** Debian's Chromium, the real browser the report's HTML is checked in (driven by npm's playwright-core; no downloaded browser). */
export const CHROMIUM: SystemRequirement = {
  what: "Debian's Chromium (/usr/bin/chromium, for the report's browser test)",
  packages: ['chromium'],
  install: 'apt-get install chromium',
  present: () => existsSync('/usr/bin/chromium'),
};

let torchPresent: boolean | undefined;

/**
 * Debian's PyTorch at /usr/bin/python3, for the checks of the PyTorch recipes
 * (tools/torch/). CI does not install it: it is large, and the golden
 * fixtures it makes are committed.
 */
export const PYTORCH: SystemRequirement = {
  what: "Debian's PyTorch (/usr/bin/python3 with torch and torchvision)",
  packages: ['python3-torch', 'python3-torchvision'],
  install: 'apt-get install python3-torch python3-torchvision',
  // Importing torch takes seconds: asked once per process.
  present: () => (torchPresent ??= existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 120_000 }).status === 0),
  optionalInCi: 'optional, CI installs no PyTorch (about 1 GB)',
};

/**
 * Debian's Slurm (slurmctld, slurmd and the client commands) and MUNGE, for
 * the tests that run a study through a real single-node Slurm cluster they
 * configure and start themselves (as root: slurmd runs the jobs).
 */
export const SLURM: SystemRequirement = {
  what: "Debian's Slurm 22.05 and MUNGE (slurmctld, slurmd, sbatch, munged)",
  packages: ['slurm-wlm', 'munge'],
  install: 'apt-get install slurm-wlm munge',
  present: () => ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/scontrol', '/usr/sbin/munged'].every((f) => existsSync(f)),
};

/** Debian's Redis server, for the queue tests (started by the test on a free port of 127.0.0.1). */
export const REDIS: SystemRequirement = {
  what: "Debian's Redis server (/usr/bin/redis-server)",
  packages: ['redis-server'],
  install: 'apt-get install redis-server',
  present: () => existsSync('/usr/bin/redis-server'),
};

/** Every requirement the tests name: the README's list of system packages. */
export const SYSTEM_REQUIREMENTS: readonly SystemRequirement[] = [FASHION_MNIST_FULL, MESA_LLVMPIPE, MESA_LAVAPIPE, CHROMIUM, PYTORCH, SLURM, REDIS];

import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { probeProviderInChild } from './probe-provider.js';

/**
 * Vulkan drivers that rasterize on the CPU, by their ICD manifest's file name
 * (the Vulkan loader's VK_LOADER_DRIVERS_DISABLE matches these globs).
 */
const SOFTWARE_VULKAN_DRIVERS = [
  { glob: '*lvp*', pattern: /lvp/i, name: 'Mesa lavapipe' },
  { glob: '*swiftshader*', pattern: /swiftshader/i, name: 'SwiftShader' },
] as const;

/** What the WebGPU execution provider runs on, as far as this machine lets one tell. */
export interface WebGpuAdapterKind {
  readonly software: boolean;
  /** The adapter in words, for DeviceInfo.device. */
  readonly description: string;
}

// The Vulkan loader's default manifest folders (its documented search order on Linux).
function manifestFolders(env: NodeJS.ProcessEnv): string[] {
  const xdgConfig = env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
  const xdgData = env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  const dataDirs = (env['XDG_DATA_DIRS'] ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [join(xdgConfig, 'vulkan/icd.d'), '/etc/xdg/vulkan/icd.d', '/etc/vulkan/icd.d', join(xdgData, 'vulkan/icd.d'), ...dataDirs.map((d) => join(d, 'vulkan/icd.d'))];
}

/** The software Vulkan drivers whose manifests this machine has, by name. */
function softwareDriversPresent(env: NodeJS.ProcessEnv): string[] {
  const explicit = (env['VK_DRIVER_FILES'] ?? env['VK_ICD_FILENAMES'] ?? '').split(':').filter(Boolean);
  const files = explicit.length > 0 ? explicit : manifestFolders(env).flatMap((dir) => (existsSync(dir) ? readdirSync(dir) : []));
  return SOFTWARE_VULKAN_DRIVERS.filter((d) => files.some((f) => d.pattern.test(f))).map((d) => d.name);
}

function withDisabled(env: NodeJS.ProcessEnv, globs: readonly string[]): NodeJS.ProcessEnv {
  const own = env['VK_LOADER_DRIVERS_DISABLE'];
  return { ...env, VK_LOADER_DRIVERS_DISABLE: [...(own ? [own] : []), ...globs].join(',') };
}

/**
 * Tells a hardware GPU from a software rasterizer under ORT's WebGPU execution
 * provider. ORT's Node binding does not expose the adapter it picks (its info
 * is never logged), so this asks ORT itself, in child processes: the provider is
 * started again with the Vulkan loader told to ignore every software driver.
 * If it still starts, a hardware adapter is there (Dawn's high-performance
 * choice ranks a CPU device last, so ORT runs on it); if it no longer starts,
 * the adapter was a software one. A control run with every driver disabled
 * must fail, or the loader ignores the filter (loaders before 1.3.234): then
 * the kind is unknown, and it is reported as software so that `--backend auto`
 * never trusts it.
 */
export async function identifyWebGpuAdapter(env: NodeJS.ProcessEnv = process.env): Promise<WebGpuAdapterKind> {
  const [withoutSoftware, withoutAny] = await Promise.all([
    probeProviderInChild('webgpu', { env: withDisabled(env, SOFTWARE_VULKAN_DRIVERS.map((d) => d.glob)) }),
    probeProviderInChild('webgpu', { env: withDisabled(env, ['*']) }),
  ]);
  if (withoutAny.ok) {
    return {
      software: true,
      description: 'adapter of unknown kind (the Vulkan loader ignores VK_LOADER_DRIVERS_DISABLE, so a software rasterizer cannot be told from a GPU; Vulkan loader 1.3.234 or newer can), treated as software',
    };
  }
  if (withoutSoftware.ok) return { software: false, description: 'GPU (a hardware Vulkan adapter)' };
  const present = softwareDriversPresent(env);
  return { software: true, description: `software rasterizer on the CPU (${present.length > 0 ? present.join(' or ') : 'a software Vulkan driver'})` };
}

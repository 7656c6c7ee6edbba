import { describe, expect, it } from 'vitest';
import { chooseAdapter } from './choose-adapter.js';
import type { BackendProbe } from './probe-adapters.js';
import { describeAdapter, isSoftwareAdapter } from './software.js';

const llvmpipe = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6' };
const nvidia = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54.15' };
const lavapipe = { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 19.1.7, 256 bits)', description: 'Mesa 25.0.7' };

describe('adapter choice', () => {
  it('tells software rasterizers from GPUs by name or fallback flag', () => {
    expect(isSoftwareAdapter(llvmpipe)).toBe(true);
    expect(isSoftwareAdapter(lavapipe)).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, device: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(describeAdapter(llvmpipe)).toBe('llvmpipe-llvm-15-0-6-256-bits (OpenGL version 4.5 (Core Profile) Mesa 22.3.6)');
  });

  const gl: BackendProbe = { backend: 'opengl', ok: true, adapter: llvmpipe, software: true, features: [] };
  const vkGpu: BackendProbe = { backend: 'vulkan', ok: true, adapter: nvidia, software: false, features: [] };
  const vkMissing: BackendProbe = { backend: 'vulkan', ok: false, reason: 'Dawn found no adapter (Vulkan shaderUniform*ArrayDynamicIndexing required.)' };

  it('takes a GPU before any software adapter, whatever the backend order', () => {
    expect(chooseAdapter([gl, vkGpu], 'any')).toEqual({ choice: vkGpu });
  });

  it("takes the software adapter only under policy 'any'", () => {
    expect(chooseAdapter([vkMissing, gl], 'any')).toEqual({ choice: gl });
    const refused = chooseAdapter([vkMissing, gl], 'hardware');
    expect(refused).toEqual({
      reason:
        "no hardware WebGPU adapter (vulkan: Dawn found no adapter (Vulkan shaderUniform*ArrayDynamicIndexing required.); opengl: software adapter llvmpipe-llvm-15-0-6-256-bits-); only a software rasterizer is here; '--backend webgpu' runs on it",
    });
  });

  it('says what each backend found when none works', () => {
    const none = chooseAdapter([vkMissing, { backend: 'opengl', ok: false, reason: 'no EGL display' }], 'any');
    expect('reason' in none && none.reason).toMatch(/^no WebGPU adapter \(vulkan: .*; opengl: no EGL display\); install a Vulkan driver/);
  });
});

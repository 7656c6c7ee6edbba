import { describe, expect, it } from 'vitest';
import { byPriority, type DriverRegistration } from '@ltssl/core';
import { webgpuRegistrations } from './module.js';

describe('the WebGPU registrations', () => {
  it("rank 'webgpu-gpu' with the GPU drivers and 'webgpu' (which may be a software rasterizer) below the CPU driver", () => {
    const onnxCpu = { name: 'onnx', priority: 50 } as DriverRegistration;
    const onnxCuda = { name: 'onnx-cuda', priority: 90 } as DriverRegistration;
    expect(byPriority([...webgpuRegistrations, onnxCpu, onnxCuda]).map((r) => r.name)).toEqual(['onnx-cuda', 'webgpu-gpu', 'onnx', 'webgpu']);
  });

  it('creates drivers with the matching adapter policy and name', () => {
    const [gpu, any] = webgpuRegistrations.map((r) => r.create()) as unknown as [{ name: string; policy: string }, { name: string; policy: string }];
    expect([gpu.name, gpu.policy, any.name, any.policy]).toEqual(['webgpu-gpu', 'hardware', 'webgpu', 'any']);
  });
});

/**
 * The device limits this driver's kernels need beyond WebGPU's defaults
 * (compatibility mode defaults to 128 invocations per workgroup and to small
 * buffers): 256-thread workgroups (16 x 16 GEMM tiles, 256-wide reductions),
 * and buffers as large as the adapter allows, so a batch of activations fits.
 */
export const KERNEL_LIMITS = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 16,
  maxComputeWorkgroupStorageSize: 16384,
  maxStorageBuffersPerShaderStage: 4,
} as const;

export type LimitName = keyof typeof KERNEL_LIMITS | 'maxStorageBufferBindingSize' | 'maxBufferSize';

/**
 * requiredLimits for requestDevice: the kernels' needs, and the adapter's
 * largest buffers. Returns the first limit the adapter cannot meet instead
 * when there is one.
 */
export function requiredLimits(adapter: Readonly<Record<string, number>>): { limits: Record<string, number> } | { missing: string } {
  const limits: Record<string, number> = {};
  for (const [name, need] of Object.entries(KERNEL_LIMITS)) {
    const has = adapter[name] ?? 0;
    if (has < need) return { missing: `${name} is ${has}, the kernels need ${need}` };
    limits[name] = need;
  }
  // Fused element-wise chains bind one buffer per operand and per kept value: as many as the adapter has, up to 12.
  limits['maxStorageBuffersPerShaderStage'] = Math.min(12, adapter['maxStorageBuffersPerShaderStage'] ?? KERNEL_LIMITS.maxStorageBuffersPerShaderStage);
  limits['maxStorageBufferBindingSize'] = adapter['maxStorageBufferBindingSize'] ?? 134217728;
  limits['maxBufferSize'] = adapter['maxBufferSize'] ?? 268435456;
  return { limits };
}

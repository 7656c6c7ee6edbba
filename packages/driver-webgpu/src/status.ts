/**
 * How this project verified each backend name of the WebGPU driver: the one
 * place it is said. `ltssl drivers` prints it, results record it (by the kind
 * of adapter a run got), and docs/drivers/webgpu.md's table is checked
 * against it (test/src/docs/driver-status.test.ts).
 */
export const WEBGPU_VERIFIED = {
  'webgpu-gpu': 'tested on an NVIDIA H200 (Vulkan, driver 580) through tools/gpu-check.sh: 408/408 conformance; not in CI (CI has no GPU)',
  webgpu: 'tested: the full conformance suite runs on Mesa llvmpipe in CI',
} as const;

/** The status a run records, by the kind of adapter it got: a software one is how CI tests 'webgpu'; hardware is the GPU check. */
export const ADAPTER_STATUS = {
  software: WEBGPU_VERIFIED.webgpu,
  hardware: WEBGPU_VERIFIED['webgpu-gpu'],
} as const;

/**
 * WebGPU's numeric flags, from the specification. Dawn exposes them as globals
 * (GPUBufferUsage, GPUMapMode) only after `Object.assign(globalThis, globals)`;
 * this driver keeps the process's globals untouched and names the values here.
 */
export const BUFFER_USAGE = {
  mapRead: 0x0001,
  copySrc: 0x0004,
  copyDst: 0x0008,
  uniform: 0x0040,
  storage: 0x0080,
  queryResolve: 0x0200,
} as const;

export const MAP_MODE_READ = 0x0001;
export const SHADER_STAGE_COMPUTE = 0x4;

/** Bytes per element of every dtype this driver computes in (f32, i32). */
export const ELEMENT_BYTES = 4;

/** Uniform parameters of one dispatch: 64 u32 words, at 256-byte offsets (the largest minUniformBufferOffsetAlignment WebGPU allows). */
export const PARAM_WORDS = 64;
export const PARAM_STRIDE_BYTES = 256;

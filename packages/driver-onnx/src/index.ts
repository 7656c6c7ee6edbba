export { OnnxDriver, DEFAULT_CPU_SPINNING, DEFAULT_CPU_THREADS, type OnnxDriverOptions } from './onnx-driver.js';
export { OnnxExecutable } from './onnx-executable.js';
export { lowerProgram, OPSET, type LoweredProgram } from './lower/lower-program.js';
export { exportInferenceModel } from './export-model.js';
export { LOWERINGS } from './lowerings/registry.js';
export { PROVIDERS, type ProviderName } from './providers.js';
export { ONNX_KNOWN_GAPS } from './known-gaps.js';
export { onnxDriverModule, onnxRegistrations } from './module.js';
export { onnxDriverModule as default } from './module.js';

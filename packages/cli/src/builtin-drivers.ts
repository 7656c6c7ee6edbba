import type { ContainerModule } from 'inversify';
import { onnxDriverModule } from '@ltssl/driver-onnx';
import { referenceDriverModule } from '@ltssl/driver-reference';
import { tfjsDriverModule } from '@ltssl/driver-tfjs';
import { webgpuDriverModule } from '@ltssl/driver-webgpu';

/**
 * The drivers this CLI ships, in one explicit list. Others come from
 * `--driver-module PACKAGE`.
 */
export const BUILTIN_DRIVER_MODULES: readonly ContainerModule[] = [referenceDriverModule, onnxDriverModule, webgpuDriverModule, tfjsDriverModule];

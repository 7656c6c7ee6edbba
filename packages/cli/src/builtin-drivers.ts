import type { ContainerModule } from 'inversify';
import { onnxDriverModule } from '@ltssl/driver-onnx';
import { referenceDriverModule } from '@ltssl/driver-reference';

/**
 * The drivers this CLI ships, in one explicit list. Others come from
 * `--driver-module PACKAGE`.
 */
export const BUILTIN_DRIVER_MODULES: readonly ContainerModule[] = [referenceDriverModule, onnxDriverModule];

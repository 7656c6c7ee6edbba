import { ENCODER_ARCHS, type EncoderSpec } from '../models/encoder.js';

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** Why `value` is not an EncoderSpec, or undefined when it is one. */
export function describeEncoderSpecProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected {arch, width, inChannels}, got ${JSON.stringify(value)}`;
  const { arch, width, inChannels } = value as Partial<Record<keyof EncoderSpec, unknown>>;
  if (!(ENCODER_ARCHS as readonly unknown[]).includes(arch)) return `arch must be one of ${ENCODER_ARCHS.join(', ')}, got ${JSON.stringify(arch)}`;
  if (!isPositiveInteger(width)) return `width must be a positive integer, got ${JSON.stringify(width)}`;
  if (!isPositiveInteger(inChannels)) return `inChannels must be a positive integer, got ${JSON.stringify(inChannels)}`;
  return undefined;
}

/** 'resnet18 (width 64, 3 input channels)', for messages. */
export function formatEncoderSpec(spec: EncoderSpec): string {
  return `${spec.arch} (width ${spec.width}, ${spec.inChannels} input channel${spec.inChannels === 1 ? '' : 's'})`;
}

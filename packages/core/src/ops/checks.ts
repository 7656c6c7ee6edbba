import { isDType, isFloatDType, type DType } from '../ir/dtype.js';
import type { Fail } from '../ir/op-def.js';
import type { TensorType } from '../ir/tensor-type.js';

/** Shared attribute and input checks, so every op words the same rule the same way. */

export function requireInt(value: unknown, name: string, fail: Fail, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(`attribute '${name}' must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

export function requireIntArray(value: unknown, name: string, fail: Fail, length?: number, min = Number.MIN_SAFE_INTEGER): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    fail(`attribute '${name}' must be an array of integers${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`);
  }
  const array = value as number[];
  if (length !== undefined && array.length !== length) {
    fail(`attribute '${name}' must have ${length} entries, got ${array.length} (${JSON.stringify(value)})`);
  }
  return [...array];
}

export function requireBool(value: unknown, name: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') fail(`attribute '${name}' must be true or false, got ${JSON.stringify(value)}`);
  return value as boolean;
}

export function requireDType(value: unknown, name: string, fail: Fail): DType {
  if (!isDType(value)) fail(`attribute '${name}' must be one of float32, float64, int32, got ${JSON.stringify(value)}`);
  return value as DType;
}

/** Resolves a possibly negative axis against `rank`. */
export function normalizeAxis(axis: unknown, rank: number, name: string, fail: Fail): number {
  const a = requireInt(axis, name, fail);
  if (a < -rank || a >= rank) fail(`attribute '${name}' = ${a} is out of range for rank ${rank} (allowed ${-rank}..${rank - 1})`);
  return a < 0 ? a + rank : a;
}

/** Resolves a non-empty list of distinct axes, returned sorted ascending. */
export function normalizeAxes(axes: unknown, rank: number, name: string, fail: Fail): number[] {
  if (!Array.isArray(axes) || axes.length === 0) fail(`attribute '${name}' must be a non-empty array of axes, got ${JSON.stringify(axes)}`);
  const resolved = (axes as unknown[]).map((a) => normalizeAxis(a, rank, name, fail));
  if (new Set(resolved).size !== resolved.length) fail(`attribute '${name}' repeats an axis: ${JSON.stringify(axes)}`);
  return resolved.sort((x, y) => x - y);
}

export function requireFloat(input: TensorType, inputName: string, fail: Fail): void {
  if (!isFloatDType(input.dtype)) fail(`input '${inputName}' must be float32 or float64, got ${input.dtype}`);
}

export function requireSameDType(inputs: readonly TensorType[], fail: Fail): DType {
  const dtype = inputs[0]!.dtype;
  if (inputs.some((t) => t.dtype !== dtype)) {
    fail(`inputs must share one dtype, got ${inputs.map((t) => t.dtype).join(' and ')}: insert a cast`);
  }
  return dtype;
}

export function requireRank(input: TensorType, inputName: string, rank: number, layout: string, fail: Fail): void {
  if (input.shape.length !== rank) fail(`input '${inputName}' must have rank ${rank} (${layout}), got rank ${input.shape.length}`);
}

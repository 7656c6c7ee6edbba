import type { DeviceInfo, Driver, FloatDType, Tolerance } from '@ltssl/core';
import type { ReferenceDriver } from '@ltssl/driver-reference';

/** What every check gets: the driver under test and the float64 reference oracle. */
export interface CheckContext {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  /** A float64 reference driver: the oracle for generated cases, steps and VJPs. */
  readonly reference: ReferenceDriver;
  /** float64 when the driver computes in it, else float32. */
  readonly dtype: FloatDType;
  /** The tolerance for single ops in `dtype`. */
  readonly opTolerance: Tolerance;
}

/** One named check: it resolves when the driver conforms and throws a message saying how it does not. */
export interface Check {
  readonly id: string;
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckResult {
  readonly id: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed, or the known-gap reason it was skipped. */
  readonly message?: string;
}

export interface ConformanceReport {
  readonly driver: DeviceInfo;
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Thrown by a check with the reason it failed. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export function fail(message: string): never {
  throw new CheckFailure(message);
}

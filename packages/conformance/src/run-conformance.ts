import type { Driver } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { CheckFailure, type Check, type CheckContext, type CheckResult, type ConformanceReport } from './check.js';
import { contractChecks } from './checks/contract-checks.js';
import { coverageCheck } from './checks/coverage-check.js';
import { moduleChecks } from './checks/module-checks.js';
import { generatedOpChecks, goldenOpChecks } from './checks/op-checks.js';
import { stepChecks } from './checks/step-checks.js';
import { vjpChecks } from './checks/vjp-checks.js';
import { OP_TOLERANCE } from './tolerances.js';

export interface ConformanceOptions {
  /**
   * The driver's known gaps, one reason each: a check whose id starts with a
   * key is reported as skipped with that reason instead of run.
   */
  readonly knownGaps?: Readonly<Record<string, string>>;
  /** Runs only the checks whose id passes (e.g. one section). */
  readonly filter?: (id: string) => boolean;
  /** Called after each check, for progress output. */
  readonly onResult?: (result: CheckResult, index: number, total: number) => void;
}

/** Every check of the suite, in order: coverage, the Executable contract, ops, VJPs, modules, whole steps. */
export function allChecks(): Check[] {
  return [coverageCheck(), ...contractChecks(), ...goldenOpChecks(), ...generatedOpChecks(), ...vjpChecks(), ...moduleChecks(), ...stepChecks()];
}

/**
 * Runs the conformance suite on a driver: one call per driver package test and
 * behind `ltssl conformance --backend NAME`. Starts the driver (and a float64
 * reference as the oracle), runs every check, disposes both.
 */
export async function runConformance(createDriver: () => Driver, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const driver = createDriver();
  const reference = new ReferenceDriver();
  const info = await driver.init();
  await reference.init();
  const dtype = info.dtypes.includes('float64') ? 'float64' : 'float32';
  const ctx: CheckContext = { driver, info, reference, dtype, opTolerance: OP_TOLERANCE[dtype] };
  const checks = allChecks().filter((c) => options.filter?.(c.id) ?? true);
  const gaps = Object.entries(options.knownGaps ?? {});
  const results: CheckResult[] = [];
  try {
    for (const [index, check] of checks.entries()) {
      const gap = gaps.find(([prefix]) => check.id.startsWith(prefix));
      let result: CheckResult;
      if (gap) result = { id: check.id, status: 'skipped', message: gap[1] };
      else {
        try {
          await check.run(ctx);
          result = { id: check.id, status: 'passed' };
        } catch (error) {
          const message = error instanceof CheckFailure ? error.message : `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
          result = { id: check.id, status: 'failed', message };
        }
      }
      results.push(result);
      options.onResult?.(result, index, checks.length);
    }
  } finally {
    await driver.dispose();
    await reference.dispose();
  }
  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return { driver: info, results, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

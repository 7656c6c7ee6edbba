import { describe, it } from 'vitest';
import type { SystemRequirement } from './system-requirements.js';

/** What to do with tests that need system packages, given what is installed. */
export type NeedsDecision =
  | { readonly action: 'run' }
  /** Not installed, outside CI: skip, with this reason in the title. */
  | { readonly action: 'skip'; readonly reason: string }
  /** Not installed under CI=true: .ci/run must install it, and a skip would hide that it did not. */
  | { readonly action: 'fail'; readonly reason: string; readonly message: string };

/** The decision for `requirements` in an environment (CI=true turns a skip into a failure, unless every missing one is optional in CI). */
export function decide(requirements: SystemRequirement | readonly SystemRequirement[], env: NodeJS.ProcessEnv = process.env): NeedsDecision {
  const absent = ([] as SystemRequirement[]).concat(requirements).filter((r) => !r.present());
  if (absent.length === 0) return { action: 'run' };
  const reason = absent.map((r) => `needs ${r.what}: ${r.install}${r.optionalInCi ? ` (${r.optionalInCi})` : ''}`).join('; ');
  if (env['CI'] !== 'true' || absent.every((r) => r.optionalInCi !== undefined)) return { action: 'skip', reason };
  const packages = absent.flatMap((r) => r.packages);
  const message = `${packages.join(', ')} ${packages.length > 1 ? 'are' : 'is'} not installed, and under CI=true a missing system package fails the tests that need it: .ci/run must run ${absent.map((r) => `'${r.install}'`).join(' and ')}`;
  return { action: 'fail', reason, message };
}

/**
 * describe() when every requirement is present. Otherwise the block is skipped,
 * its title naming the package it needs and how to install it; under CI=true it
 * is replaced by one failing test that says so.
 */
export function describeNeeding(requirements: SystemRequirement | readonly SystemRequirement[], title: string, body: () => void): void {
  const decision = decide(requirements);
  if (decision.action === 'run') return void describe(title, body);
  if (decision.action === 'skip') return void describe.skip(`${title} [skipped: ${decision.reason}]`, body);
  describe(title, () => {
    it(`(${decision.reason})`, () => {
      throw new Error(decision.message);
    });
  });
}

/**
 * For a test that can run without the requirement but covers more with it (one
 * more engine in a comparison): true when it is present; otherwise registers
 * one skipped test titled `title` with the reason (a failing one under CI=true)
 * and returns false.
 */
export function presentOrReport(requirements: SystemRequirement | readonly SystemRequirement[], title: string): boolean {
  const decision = decide(requirements);
  if (decision.action === 'run') return true;
  if (decision.action === 'skip') it.skip(`${title} [skipped: ${decision.reason}]`, () => undefined);
  else
    it(`${title} (${decision.reason})`, () => {
      throw new Error(decision.message);
    });
  return false;
}

/** it() under the same rule as describeNeeding. */
export function itNeeding(requirements: SystemRequirement | readonly SystemRequirement[], title: string, body: () => Promise<void> | void, timeout?: number): void {
  const decision = decide(requirements);
  if (decision.action === 'run') return void it(title, body, timeout);
  if (decision.action === 'skip') return void it.skip(`${title} [skipped: ${decision.reason}]`, body);
  return void it(`${title} (${decision.reason})`, () => {
    throw new Error(decision.message);
  });
}

import type { Driver } from './driver.js';

/**
 * How a driver package announces itself to the CLI's container: a driver
 * package's ContainerModule binds one of these to DRIVER_REGISTRATION.
 */
export interface DriverRegistration {
  /** The `--backend` name. */
  readonly name: string;
  /** One line for `ltssl drivers`: what the driver is. */
  readonly description: string;
  /**
   * How this project has verified the driver ('tested: the full conformance
   * suite runs on it in CI', 'untested: ...'): the one place it is said.
   * `ltssl drivers` prints it, and the status column of docs/drivers/*.md
   * must start with it (test/src/docs/driver-status.test.ts).
   */
  readonly verified?: string;
  /**
   * Order for `--backend auto`, highest first: hardware GPU drivers, then CPU
   * drivers by measured speed, the reference last.
   */
  readonly priority: number;
  /** A new, un-initialised driver. */
  create(): Driver;
  /**
   * Conformance checks this driver is known to fail, by check-id prefix, one
   * reason each: reported as skipped by `ltssl conformance`, never hidden.
   */
  readonly knownGaps?: Readonly<Record<string, string>>;
}

/**
 * DI tokens. Symbol.for makes them global, so a driver package that bundles its
 * own copy of @ltssl/core binds the same token.
 */
export const TOKENS = {
  /** Multi-bound: every DriverRegistration the container knows. */
  driverRegistration: Symbol.for('ltssl.DriverRegistration'),
  /** The driver chosen for this run, initialised. */
  driver: Symbol.for('ltssl.Driver'),
} as const;

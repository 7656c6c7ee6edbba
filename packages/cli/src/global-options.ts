import type { Container } from 'inversify';
import { AUTO_BACKEND, backendChoices } from '@ltssl/core';
import { createContainer, driverRegistrations } from './container.js';
import { UsageError } from './io.js';

/** Options every command takes. */
export interface GlobalOptions {
  /** `--backend NAME|auto`. */
  readonly backend: string;
  /** `--driver-module PACKAGE`, repeatable. */
  readonly driverModule: readonly string[];
}

export interface RunContext {
  readonly options: GlobalOptions;
  readonly container: Container;
}

/** Loads the drivers and checks `--backend` names one of them. */
export async function createRunContext(options: GlobalOptions): Promise<RunContext> {
  const container = await createContainer(options.driverModule);
  const choices = backendChoices(driverRegistrations(container));
  if (!choices.includes(options.backend)) {
    throw new UsageError(`unknown backend '${options.backend}'; choose one of: ${choices.join(', ')}`);
  }
  return { options, container };
}

export const DEFAULT_BACKEND = AUTO_BACKEND;

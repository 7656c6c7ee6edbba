import { Container, type ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { BUILTIN_DRIVER_MODULES } from './builtin-drivers.js';
import { loadDriverModule } from './load-driver-module.js';

/**
 * The CLI is the only place that composes drivers: the built-in list plus every
 * `--driver-module`, each binding its DriverRegistration.
 */
export async function createContainer(driverModules: readonly string[]): Promise<Container> {
  const container = new Container();
  const external: ContainerModule[] = [];
  for (const specifier of driverModules) external.push(await loadDriverModule(specifier));
  await container.loadAsync(...BUILTIN_DRIVER_MODULES, ...external);
  return container;
}

export function driverRegistrations(container: Container): DriverRegistration[] {
  return container.isBound(TOKENS.driverRegistration) ? container.getAll<DriverRegistration>(TOKENS.driverRegistration) : [];
}

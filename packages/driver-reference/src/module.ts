import { ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { ReferenceDriver } from './reference-driver.js';

export const referenceRegistration: DriverRegistration = {
  name: 'reference',
  description: 'TypeScript interpreter in float64: the conformance oracle; slow, always available',
  // Last for `--backend auto`: correct everywhere, fast nowhere.
  priority: 0,
  create: () => new ReferenceDriver(),
};

/** Binds the reference driver's registration into an ltssl container. */
export const referenceDriverModule = new ContainerModule(({ bind }) => {
  bind<DriverRegistration>(TOKENS.driverRegistration).toConstantValue(referenceRegistration);
});

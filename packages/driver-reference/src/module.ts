import { ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { ReferenceDriver } from './reference-driver.js';

export const referenceRegistration: DriverRegistration = {
  name: 'reference',
  description: 'TypeScript interpreter in float64: the conformance oracle; slow, always available',
  verified: 'tested: the PyTorch golden cases of every op run on it in CI; it is the oracle every other driver is checked against',
  // Last for `--backend auto`: correct everywhere, fast nowhere.
  priority: 0,
  create: () => new ReferenceDriver(),
};

/** Binds the reference driver's registration into an ltssl container. */
export const referenceDriverModule = new ContainerModule(({ bind }) => {
  bind<DriverRegistration>(TOKENS.driverRegistration).toConstantValue(referenceRegistration);
});

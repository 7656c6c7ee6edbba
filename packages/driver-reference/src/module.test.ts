import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { startDriver, TOKENS, type DriverRegistration } from '@ltssl/core';
import { referenceDriverModule } from './module.js';

describe('referenceDriverModule', () => {
  it('binds a registration that starts the reference driver', async () => {
    const container = new Container();
    container.load(referenceDriverModule);
    const registrations = container.getAll<DriverRegistration>(TOKENS.driverRegistration);
    expect(registrations.map((r) => r.name)).toEqual(['reference']);
    const { driver, info } = await startDriver(registrations, 'auto');
    expect(info).toMatchObject({ driver: 'reference', kind: 'cpu', dtypes: ['float32', 'float64', 'int32'] });
    await driver.dispose();
  });
});

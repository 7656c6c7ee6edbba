import { startDriver, type DeviceInfo, type Driver } from '@ltssl/core';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';
import type { Progress } from '../progress.js';
import { diagnosingDriver } from './diagnosing-driver.js';

/**
 * Starts the driver and says so; warns when auto had to fall back to the slow
 * reference interpreter. `verbose`: every compiled program's engine diagnostics too.
 */
export async function startStudyDriver(context: RunContext, io: CliIO, progress: Progress, options: { readonly verbose?: boolean } = {}): Promise<{ driver: Driver; info: DeviceInfo }> {
  const started = await startDriver(driverRegistrations(context.container), context.options.backend);
  if (context.options.backend === 'auto') {
    for (const s of started.skipped) progress.line(`(auto skipped ${s.name}: ${s.reason.replace(/^driver '[^']*' cannot start: /, '')})`);
    if (started.registration.name === 'reference') io.stderr.write('warning: --backend auto landed on the reference driver, a slow interpreter: expect hours, or name a faster backend\n');
  }
  progress.line(`driver ${started.registration.name}: ${started.info.device}`);
  return { driver: options.verbose ? diagnosingDriver(started.driver, progress) : started.driver, info: started.info };
}

import { runConformance, type CheckResult } from '@ltssl/conformance';
import { startDriver } from '@ltssl/core';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';

/**
 * `ltssl conformance --backend NAME`: the whole conformance suite on one
 * driver. Prints each failure (and, with --verbose, every check), then
 * `N passed, N failed, N skipped`; exits 1 when anything failed.
 */
export async function conformanceCommand(context: RunContext, io: CliIO, options: { verbose?: boolean; only?: string }): Promise<number> {
  const registrations = driverRegistrations(context.container);
  // Resolve 'auto' (and check the driver starts) before running the suite on fresh instances.
  const started = await startDriver(registrations, context.options.backend);
  await started.driver.dispose();
  for (const s of started.skipped) io.stderr.write(`skipped driver ${s.name}: ${s.reason}\n`);
  io.stdout.write(`conformance of driver '${started.registration.name}' on ${started.info.device}\n`);
  const report = await runConformance(() => started.registration.create(), {
    knownGaps: started.registration.knownGaps ?? {},
    ...(options.only ? { filter: (id: string) => id.startsWith(options.only!) } : {}),
    onResult: (r: CheckResult) => {
      if (r.status === 'failed') io.stdout.write(`FAIL ${r.id}: ${r.message}\n`);
      else if (r.status === 'skipped') io.stdout.write(`skip ${r.id}: ${r.message}\n`);
      else if (options.verbose) io.stdout.write(`ok   ${r.id}\n`);
    },
  });
  if (report.results.length === 0) io.stdout.write(`no check matches --only '${options.only}'\n`);
  io.stdout.write(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped\n`);
  return report.failed > 0 || report.results.length === 0 ? 1 : 0;
}

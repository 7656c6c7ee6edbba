import { AUTO_BACKEND, autoRefusal, probeDrivers, selectedProbe } from '@ltssl/core';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

/**
 * `ltssl drivers`: every registered driver, whether it starts here (it is
 * started and disposed again), its device, or why not.
 */
export async function driversCommand(context: RunContext, io: CliIO, options: { json?: boolean }): Promise<number> {
  const probes = await probeDrivers(driverRegistrations(context.container));
  const choice = selectedProbe(probes, context.options.backend);
  if (options.json) {
    io.stdout.write(JSON.stringify({ backend: context.options.backend, selected: choice?.available ? choice.name : null, drivers: probes }, null, 2) + '\n');
    return 0;
  }
  const rows = [['driver', 'priority', 'status', 'device or reason']];
  for (const p of probes) {
    const status = !p.available ? 'unavailable' : p.info!.software ? 'software' : 'available';
    rows.push([p.name, String(p.priority), status, p.available ? p.info!.device : p.reason!]);
  }
  io.stdout.write(table(rows) + '\n\n');
  // What each driver is, and how this project verified it (each driver's one statement of it, which docs/drivers/*.md repeat).
  for (const p of probes) io.stdout.write(`${p.name}: ${p.description} (${p.verified ?? 'not verified by this project: an external driver'})\n`);
  io.stdout.write('\n');
  const label = `--backend ${context.options.backend}`;
  io.stdout.write(choice?.available ? `${label} runs on: ${choice.name} (${choice.info!.device})\n` : `${label} cannot start here\n`);
  if (context.options.backend === AUTO_BACKEND) {
    const passed = probes.filter((p) => p.available && autoRefusal(p.name, p.info!) !== undefined).map((p) => p.name);
    if (passed.length > 0) io.stdout.write(`auto passes over ${passed.join(', ')}: software rasterizer${passed.length > 1 ? 's' : ''} on the CPU (name the backend to run on one)\n`);
  }
  return 0;
}

import { ERROR_CODES, LtsslError } from '../errors.js';
import type { DeviceInfo, Driver } from './driver.js';
import type { DriverRegistration } from './registration.js';

export const AUTO_BACKEND = 'auto';

/** The error a driver's init() throws when it cannot start here. */
export function driverUnavailable(driver: string, reason: string, cause?: unknown): LtsslError {
  return new LtsslError(ERROR_CODES.driverUnavailable, `driver '${driver}' cannot start: ${reason}`, cause === undefined ? undefined : { cause });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface StartedDriver {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  readonly registration: DriverRegistration;
  /** Drivers `auto` tried first and could not start, with the reason each gave. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** Registrations in `--backend auto` order: highest priority first, then by name. */
export function byPriority(registrations: readonly DriverRegistration[]): DriverRegistration[] {
  return [...registrations].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
}

export function backendChoices(registrations: readonly DriverRegistration[]): string[] {
  return [AUTO_BACKEND, ...byPriority(registrations).map((r) => r.name)];
}

async function start(registration: DriverRegistration): Promise<{ driver: Driver; info: DeviceInfo }> {
  const driver = registration.create();
  try {
    return { driver, info: await driver.init() };
  } catch (error) {
    await driver.dispose().catch(() => undefined);
    throw error;
  }
}

/**
 * Why `--backend auto` passes over a driver that started, or undefined when it
 * takes it. A software rasterizer (DeviceInfo.software) is a correctness vehicle:
 * on the machines measured it ran a training step several times slower than the
 * ONNX Runtime CPU provider, so auto never chooses it, whatever its priority.
 */
export function autoRefusal(name: string, info: DeviceInfo): string | undefined {
  if (info.software !== true) return undefined;
  return `runs on a software rasterizer (${info.device}), which auto never chooses over a CPU engine; run on it with --backend ${name}`;
}

/**
 * Starts the driver named by `backend`, or with 'auto' the first one, by
 * priority, that starts here; every driver it skipped is reported with its
 * reason. Never falls back from a named backend to another.
 */
export async function startDriver(registrations: readonly DriverRegistration[], backend: string): Promise<StartedDriver> {
  const duplicates = registrations.map((r) => r.name).filter((name, i, all) => all.indexOf(name) !== i);
  if (duplicates.length > 0) {
    throw new LtsslError(ERROR_CODES.driverSelection, `driver '${duplicates[0]}' is registered twice; load each driver module once`);
  }
  if (backend !== AUTO_BACKEND) {
    const registration = registrations.find((r) => r.name === backend);
    if (!registration) {
      throw new LtsslError(ERROR_CODES.driverSelection, `unknown backend '${backend}'; choose one of: ${backendChoices(registrations).join(', ')}`);
    }
    try {
      return { ...(await start(registration)), registration, skipped: [] };
    } catch (error) {
      throw driverUnavailable(registration.name, reasonOf(error).replace(/^driver '[^']*' cannot start: /, ''), error);
    }
  }
  const skipped: { name: string; reason: string }[] = [];
  for (const registration of byPriority(registrations)) {
    let started: { driver: Driver; info: DeviceInfo };
    try {
      started = await start(registration);
    } catch (error) {
      skipped.push({ name: registration.name, reason: reasonOf(error) });
      continue;
    }
    const refusal = autoRefusal(registration.name, started.info);
    if (refusal === undefined) return { ...started, registration, skipped };
    await started.driver.dispose().catch(() => undefined);
    skipped.push({ name: registration.name, reason: refusal });
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new LtsslError(ERROR_CODES.driverUnavailable, `no driver can start here (${reasons || 'none is registered'})`);
}

export interface DriverProbe {
  readonly name: string;
  readonly description: string;
  /** How the project verified it (DriverRegistration.verified). */
  readonly verified?: string;
  readonly priority: number;
  readonly available: boolean;
  /** The device when available. */
  readonly info?: DeviceInfo;
  /** Why it cannot start, when unavailable. */
  readonly reason?: string;
}

/**
 * The probe `--backend` would run on, by the same rule startDriver applies:
 * the named driver, or auto's first available one that autoRefusal accepts.
 */
export function selectedProbe(probes: readonly DriverProbe[], backend: string): DriverProbe | undefined {
  if (backend !== AUTO_BACKEND) return probes.find((p) => p.name === backend);
  return probes.find((p) => p.available && autoRefusal(p.name, p.info!) === undefined);
}

/** Tries to start every registered driver and disposes it again: what `ltssl drivers` prints. */
export async function probeDrivers(registrations: readonly DriverRegistration[]): Promise<DriverProbe[]> {
  const probes: DriverProbe[] = [];
  for (const registration of byPriority(registrations)) {
    const base = { name: registration.name, description: registration.description, ...(registration.verified ? { verified: registration.verified } : {}), priority: registration.priority };
    try {
      const { driver, info } = await start(registration);
      await driver.dispose();
      probes.push({ ...base, available: true, info });
    } catch (error) {
      probes.push({ ...base, available: false, reason: reasonOf(error) });
    }
  }
  return probes;
}

import { describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode } from '../errors.js';
import type { DeviceInfo, Driver } from './driver.js';
import type { DriverRegistration } from './registration.js';
import { driverUnavailable, probeDrivers, selectedProbe, startDriver } from './resolve.js';

/**
 * Registrations whose drivers either start or refuse with a reason: what the
 * resolver sees from real drivers on machines with and without a GPU.
 */
function registration(name: string, priority: number, unavailable?: string, software?: boolean): DriverRegistration & { disposed: number } {
  const reg = {
    name,
    description: `${name} driver`,
    priority,
    disposed: 0,
    create(): Driver {
      return {
        name,
        async init(): Promise<DeviceInfo> {
          if (unavailable) throw driverUnavailable(name, unavailable);
          return { driver: name, device: `${name} device`, kind: 'cpu', ...(software === undefined ? {} : { software }), dtypes: ['float32'], details: {} };
        },
        compile: () => Promise.reject(new Error('not used')),
        dispose: async () => {
          reg.disposed++;
        },
      };
    },
  };
  return reg;
}

describe('driver selection', () => {
  it('auto picks the highest priority driver that starts and reports what it skipped', async () => {
    const gpu = registration('gpu', 100, 'no CUDA device');
    const cpu = registration('cpu', 50);
    const started = await startDriver([registration('reference', 0), cpu, gpu], 'auto');
    expect(started.info.driver).toBe('cpu');
    expect(started.skipped).toEqual([{ name: 'gpu', reason: "driver 'gpu' cannot start: no CUDA device" }]);
    expect(gpu.disposed).toBe(1);
  });

  it('auto never chooses a software rasterizer, whatever its priority, and says how to run on it', async () => {
    const lavapipe = registration('gpu-api', 80, undefined, true);
    const started = await startDriver([registration('reference', 0), registration('cpu', 50, undefined, false), lavapipe], 'auto');
    expect(started.info.driver).toBe('cpu');
    expect(started.skipped).toEqual([
      { name: 'gpu-api', reason: 'runs on a software rasterizer (gpu-api device), which auto never chooses over a CPU engine; run on it with --backend gpu-api' },
    ]);
    expect(lavapipe.disposed).toBe(1);
    // Named, it runs there.
    expect((await startDriver([lavapipe], 'gpu-api')).info.software).toBe(true);
    // `ltssl drivers` reports the same choice.
    const probes = await probeDrivers([registration('reference', 0), registration('cpu', 50), lavapipe]);
    expect(selectedProbe(probes, 'auto')?.name).toBe('cpu');
    expect(selectedProbe(probes, 'gpu-api')?.name).toBe('gpu-api');
  });

  it('a named backend never falls back to another driver', async () => {
    const error = await startDriver([registration('gpu', 100, 'no CUDA device'), registration('cpu', 1)], 'gpu').catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.driverUnavailable)).toBe(true);
    expect((error as Error).message).toBe("driver 'gpu' cannot start: no CUDA device");
  });

  it('an unknown backend names the choices', async () => {
    const error = await startDriver([registration('cpu', 1), registration('reference', 0)], 'tpu').catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.driverSelection)).toBe(true);
    expect((error as Error).message).toBe("unknown backend 'tpu'; choose one of: auto, cpu, reference");
  });

  it('auto with nothing startable lists every reason', async () => {
    const error = await startDriver([registration('a', 2, 'no adapter'), registration('b', 1, 'no library')], 'auto').catch((e: unknown) => e);
    expect((error as Error).message).toBe("no driver can start here (a: driver 'a' cannot start: no adapter; b: driver 'b' cannot start: no library)");
  });

  it('rejects a driver registered twice', async () => {
    await expect(startDriver([registration('a', 1), registration('a', 2)], 'a')).rejects.toThrow("driver 'a' is registered twice");
  });

  it('probes every driver, starting and disposing each', async () => {
    const ok = registration('ok', 1);
    const probes = await probeDrivers([registration('broken', 5, 'missing native library'), ok]);
    expect(probes.map((p) => [p.name, p.available, p.reason ?? p.info?.device])).toEqual([
      ['broken', false, "driver 'broken' cannot start: missing native library"],
      ['ok', true, 'ok device'],
    ]);
    expect(ok.disposed).toBe(1);
  });

  it('recognises error codes from another copy of core', () => {
    const foreign = Object.assign(new Error('from a bundled copy'), { code: 'LTSSL_DRIVER_UNAVAILABLE' });
    expect(hasErrorCode(foreign, ERROR_CODES.driverUnavailable)).toBe(true);
    expect(hasErrorCode(new Error('plain'), ERROR_CODES.driverUnavailable)).toBe(false);
  });
});

import type { Driver } from '@ltssl/core';
import type { Progress } from '../progress.js';

/**
 * The driver, printing what its engine reports about each program it compiles
 * (Executable.diagnostics: e.g. the nodes ONNX Runtime's WebGPU provider leaves
 * to its CPU provider), each distinct line once: what `--verbose` shows. The
 * executables are the driver's own, so state sharing between them is unchanged.
 */
export function diagnosingDriver(driver: Driver, progress: Progress): Driver {
  const shown = new Set<string>();
  return {
    name: driver.name,
    init: () => driver.init(),
    dispose: () => driver.dispose(),
    async compile(program, options) {
      const executable = await driver.compile(program, options);
      for (const line of (await executable.diagnostics?.()) ?? []) {
        if (shown.has(line)) continue;
        shown.add(line);
        progress.line(`[${driver.name}] ${line}`);
      }
      return executable;
    },
  };
}

/** The exit code of a process ended by a signal, as a shell reports it: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export interface StopOnSignals {
  /** Aborted at the first SIGINT, SIGTERM or SIGHUP: the work stops at the end of its step. */
  readonly signal: AbortSignal;
  /** The signal that stopped the work, once one came. */
  readonly received: () => StopSignal | undefined;
  /** Removes the handlers (the process's default behaviour comes back). */
  dispose(): void;
}

/**
 * Turns SIGINT, SIGTERM and SIGHUP into a request to stop: the first aborts
 * `signal` (training stops at the end of its step, writes a checkpoint where
 * it can, and the command prints how to resume); a second one ends the
 * process at once with the first's exit code, after `onForced` says so.
 */
export function stopOnSignals(onForced: (signal: StopSignal) => void): StopOnSignals {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((name) => {
    const handler = (): void => {
      if (received) {
        onForced(received);
        process.exit(SIGNAL_EXIT_CODES[received]);
      }
      received = name;
      controller.abort(new Error(`${name} received`));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

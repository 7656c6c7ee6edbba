/**
 * Planted faults for the tests and tools/faults/kill-campaign.mjs: places in
 * the writers where a fault can be triggered on an event (the Nth write of a
 * checkpoint, a store transaction), never after a sleep.
 *
 * - In process, a test sets a hook (setFaultHook) that may throw, e.g. an
 *   ENOSPC at the third write.
 * - In a child process, LTSSL_FAULT='POINT:TEXT:N' kills the process with
 *   SIGKILL at the Nth time POINT is reached with a detail containing TEXT
 *   (e.g. 'write:checkpoints/:2': half way through writing the second
 *   checkpoint's temporary file). Unset, a fault point costs one comparison.
 */
export type FaultPoint =
  /** Half way through filling a temporary file (detail: the target file). */
  | 'write'
  /** After the temporary file is synced, before it is renamed (detail: the target file). */
  | 'rename'
  /** Inside a results-store transaction, before it commits (detail: the cell id). */
  | 'store';

export type FaultHook = (point: FaultPoint, detail: string) => void | Promise<void>;

let hook: FaultHook | undefined;

/** Sets (or, with undefined, clears) the in-process hook: tests only. */
export function setFaultHook(next: FaultHook | undefined): void {
  hook = next;
}

interface PlannedKill {
  readonly point: string;
  readonly text: string;
  remaining: number;
}

function plannedKill(): PlannedKill | undefined {
  const spec = process.env['LTSSL_FAULT'];
  if (!spec) return undefined;
  const match = /^(write|rename|store):(.*):(\d+)$/.exec(spec);
  if (!match) throw new Error(`LTSSL_FAULT='${spec}': expected POINT:TEXT:N with POINT one of write, rename, store (e.g. 'write:checkpoints/:2')`);
  return { point: match[1]!, text: match[2]!, remaining: Number(match[3]) };
}

const kill = plannedKill();

/** Called by a writer at `point`; synchronous unless a test hook is set (the store's transaction cannot await). */
export function faultPoint(point: FaultPoint, detail: string): void | Promise<void> {
  if (kill && kill.point === point && detail.includes(kill.text) && --kill.remaining === 0) process.kill(process.pid, 'SIGKILL');
  return hook?.(point, detail);
}

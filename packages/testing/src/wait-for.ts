/**
 * Polls `probe` every `everyMs` until it returns a value (an event: a file
 * appears, a process ends, a service answers), failing with `what` after
 * `limitMs`. The limit is a guard against a hang, never the trigger of what a
 * test does next.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 180_000, everyMs = 20): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`waited ${limitMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

import { z } from 'zod';
import type { MethodName } from './method.js';

type Issue = { readonly input?: unknown };
const got = (issue: Issue): string => `got ${typeof issue.input === 'number' ? issue.input : JSON.stringify(issue.input)}`;

/** A width, a size or a count: a positive integer. */
export function positiveIntegerOption() {
  const error = (issue: Issue) => `must be a positive integer, ${got(issue)}`;
  return z.number({ error }).int({ error, abort: true }).positive({ error });
}

/** A scale such as a softmax temperature: a positive finite number (zod's numbers are finite). */
export function positiveNumberOption() {
  const error = (issue: Issue) => `must be a positive number, ${got(issue)}`;
  return z.number({ error }).positive({ error });
}

/**
 * The zod schema of one method's options: every field optional (the method
 * applies its default, so a parsed config holds what was written and its hash
 * does not change when a default is spelled out elsewhere), unknown fields an
 * error naming what the method takes.
 */
export function methodOptionsObject<S extends z.core.$ZodLooseShape>(method: MethodName, shape: S) {
  const takes = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `${method} does not take ${issue.keys.join(', ')}; it takes ${takes.length > 0 ? takes.join(', ') : 'no method options'}` : undefined,
  });
}

/**
 * `options` checked against a method's schema, entries that are undefined
 * dropped (a CLI flag not given). The error names the method and each bad
 * field: 'mocov2: keyMomentum: must be in [0, 1), got 1'.
 */
export function parseMethodOptions<S extends z.ZodType>(method: MethodName, schema: S, options: unknown): z.output<S> {
  const given = typeof options === 'object' && options !== null ? Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) : options;
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${method}: ${issue.path.join('.')}: ${issue.message}` : issue.message));
  throw new RangeError(issues.join('; '));
}

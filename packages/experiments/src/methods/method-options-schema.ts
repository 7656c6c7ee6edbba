import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from './method.js';
import { createMethod, METHODS } from './registry.js';

/**
 * A study config's `methodOptions`: for each method, the schema of its own
 * options (declared in its file, listed in METHODS), so a config is held to
 * the method's bounds when it is parsed, before any work starts. A method
 * not named is an error naming the methods.
 */
export const methodOptionsSchema = z.strictObject(
  Object.fromEntries(METHOD_NAMES.map((name) => [name, METHODS[name].options.optional()])) as { [N in MethodName]: z.ZodOptional<(typeof METHODS)[N]['options']> },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `no method ${issue.keys.join(', ')}; the methods are ${METHOD_NAMES.join(', ')}` : undefined) },
);

export type StudyMethodOptions = z.output<typeof methodOptionsSchema>;

/**
 * Each of `methods` that cannot train on batches of `batch` with its options
 * in `options` (MoCo v2's queue and split BatchNorm), as a path under
 * methodOptions and a message, for a config's superRefine.
 */
export function methodBatchIssues(options: StudyMethodOptions, methods: readonly MethodName[], batch: number): { path: string[]; message: string }[] {
  return [...new Set(methods)].flatMap((name) => {
    // zod runs refinements after field issues too; options that fail their schema are reported there.
    if (!METHODS[name].options.safeParse(options[name] ?? {}).success) return [];
    const problem = createMethod(name, options[name] ?? {}).checkBatch?.(batch);
    return problem ? [{ path: [name], message: problem }] : [];
  });
}

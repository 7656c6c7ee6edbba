import { z } from 'zod';
import { METHOD_NAMES, type Method, type MethodName } from '../../methods/method.js';
import { createMethod, METHODS, type MethodOptions } from '../../methods/registry.js';

/**
 * A named variant of a method, an arm of its own beside the method at its
 * configured options: SimCLR with a temperature schedule next to plain
 * SimCLR. Its cells carry the variant's name.
 */
export const methodVariantSchema = z
  .strictObject({
    /** The method it runs. */
    method: z.enum(METHOD_NAMES),
    /** Its options, held to the method's own schema (the method's methodOptions do not apply). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((v, ctx) => {
    const parsed = METHODS[v.method].options.safeParse(v.options);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['options', ...issue.path.map(String)], message: issue.message });
  });

/** Variant names: a lower-case word (letters, digits, '-'), not a method's name, so cell ids stay readable and distinct. */
export const variantsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a variant name is lower-case letters, digits and -, starting with a letter' }), methodVariantSchema)
  .superRefine((variants, ctx) => {
    for (const name of Object.keys(variants)) if ((METHOD_NAMES as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is a method's name; give the variant another one` });
  });

export type MethodVariants = z.output<typeof variantsSchema>;

/** What one arm of an imbalance sweep trains: the method, its options, and the name its base learning rate is looked up by. */
export interface ImbalanceArm {
  readonly name: string;
  readonly method: MethodName;
  readonly options: MethodOptions;
}

/** The arm `name`: a method at its methodOptions, or a variant. The error names what the study defines. */
export function imbalanceArm(config: { readonly variants?: MethodVariants; readonly methodOptions: Partial<Record<MethodName, unknown>> }, name: string): ImbalanceArm {
  const variant = config.variants?.[name];
  if (variant) return { name, method: variant.method, options: variant.options as MethodOptions };
  if (!(METHOD_NAMES as readonly string[]).includes(name)) {
    throw new Error(`no method or variant '${name}': the methods are ${METHOD_NAMES.join(', ')}${config.variants ? `; the variants ${Object.keys(config.variants).join(', ')}` : ''}`);
  }
  return { name, method: name as MethodName, options: (config.methodOptions[name as MethodName] ?? {}) as MethodOptions };
}

/** The arm's method, created with its options. */
export function armMethod(arm: ImbalanceArm): Method {
  return createMethod(arm.method, arm.options);
}

import type { z } from 'zod';
import { barlowTwins, barlowTwinsOptionsSchema } from './barlow-twins.js';
import { byol, byolOptionsSchema } from './byol.js';
import type { Method, MethodName } from './method.js';
import { mocov2, mocov2OptionsSchema } from './mocov2.js';
import { sdclr, sdclrOptionsSchema } from './sdclr.js';
import { simclr, simclrOptionsSchema } from './simclr.js';
import { simsiam, simsiamOptionsSchema } from './simsiam.js';
import { supcon, supconOptionsSchema } from './supcon.js';
import { supervised, supervisedOptionsSchema } from './supervised.js';
import { vicreg, vicregOptionsSchema } from './vicreg.js';

/**
 * Every pre-training method by name: one explicit list (solo-learn's METHODS
 * map), each with the zod schema of its options (declared in the method's
 * file, where its defaults are applied) and the factory that checks options
 * against that schema. Study configs validate `methodOptions` with the same
 * schemas (method-options-schema.ts), so a config and a direct call agree.
 */
export const METHODS = {
  supervised: { options: supervisedOptionsSchema, create: supervised },
  simsiam: { options: simsiamOptionsSchema, create: simsiam },
  mocov2: { options: mocov2OptionsSchema, create: mocov2 },
  simclr: { options: simclrOptionsSchema, create: simclr },
  supcon: { options: supconOptionsSchema, create: supcon },
  byol: { options: byolOptionsSchema, create: byol },
  'barlow-twins': { options: barlowTwinsOptionsSchema, create: barlowTwins },
  vicreg: { options: vicregOptionsSchema, create: vicreg },
  sdclr: { options: sdclrOptionsSchema, create: sdclr },
} as const satisfies { readonly [N in MethodName]: { readonly options: z.ZodObject; readonly create: (options?: never) => Method } };

/** The named fields of T (zod types an empty strict object as Record<string, never>: no fields). */
type Fields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** The options of each method, as its schema accepts them. */
export type MethodOptionsByName = { readonly [N in MethodName]: Fields<z.input<(typeof METHODS)[N]['options']>> };

type Merged<U> = (U extends unknown ? (u: U) => void : never) extends (m: infer M) => void ? M : never;

/**
 * Every method option, by meaning (what `ltssl train`'s flags may fill);
 * createMethod checks which ones the method takes.
 */
export type MethodOptions = Partial<Merged<MethodOptionsByName[MethodName]>>;
export type MethodOptionName = keyof MethodOptions & string;

/** Which options each method takes: the fields of its schema. */
export const METHOD_OPTIONS: Readonly<Record<MethodName, readonly MethodOptionName[]>> = Object.fromEntries(
  Object.entries(METHODS).map(([name, m]) => [name, Object.keys(m.options.shape) as MethodOptionName[]]),
) as Record<MethodName, MethodOptionName[]>;

/** The method `name` with `options`, checked against its schema; the error names the method and each bad field. */
export function createMethod(name: MethodName, options: MethodOptions = {}): Method {
  return (METHODS[name].create as (options: MethodOptions) => Method)(options);
}

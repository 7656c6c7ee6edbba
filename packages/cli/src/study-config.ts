import { readFile } from 'node:fs/promises';
import { UsageError } from './io.js';

/** The flags of `ltssl run` that make a study's configuration. */
export interface StudyFlags {
  readonly preset?: string;
  readonly config?: string;
  readonly data?: string;
  readonly oodData?: string;
  readonly seeds?: number;
  readonly testData?: string;
  /** --subset-file FILE (a JSON map), or R=FILE for each r. */
  readonly subsetFile?: readonly string[];
}

/** The flags that set a field of the configuration, by field name. */
export type FieldFlag = 'data' | 'oodData' | 'seeds' | 'testData' | 'subsetFile';

/** How each field flag is written on the command line. */
export const FIELD_FLAGS: Readonly<Record<FieldFlag, string>> = { data: '--data', oodData: '--ood-data', seeds: '--seeds', testData: '--test-data', subsetFile: '--subset-file' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The one merge rule of every protocol's configuration: `over`'s fields
 * replace `base`'s, except where both hold an object, which merge field by
 * field, recursively. Arrays, numbers, strings, booleans and null replace
 * whole ({"ratios": [1]} over [1, 0.004] gives [1]); a field left out keeps
 * the base's value.
 */
export function mergeFields(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    out[k] = isObject(v) && isObject(b) ? mergeFields(b, v) : v;
  }
  return out;
}

/**
 * A study's configuration: the preset's fields, then the --config file's,
 * then the flags', merged by `mergeFields` and validated by the protocol's
 * schema (its parse function, whose error names every bad field).
 */
export function resolveConfig<C>(
  preset: Readonly<Record<string, unknown>> | undefined,
  file: Readonly<Record<string, unknown>> | undefined,
  flags: Readonly<Record<string, unknown>>,
  schema: (raw: unknown) => C,
): C {
  const raw = [file ?? {}, flags].reduce<Record<string, unknown>>((merged, fields) => mergeFields(merged, fields), { ...preset });
  try {
    return schema(raw);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The configuration fields the flags set (only those given). */
export function flagFields(flags: StudyFlags): Record<string, unknown> {
  return {
    ...(flags.data ? { data: flags.data } : {}),
    ...(flags.oodData ? { oodData: flags.oodData } : {}),
    ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
    ...(flags.testData ? { testData: flags.testData } : {}),
    ...(flags.subsetFile ? { subsetFile: subsetFileField(flags.subsetFile) } : {}),
  };
}

/**
 * The subsetFile field from --subset-file's values: one FILE (a JSON map of
 * r to subsets), or R=FILE for each r (a text file each).
 */
export function subsetFileField(values: readonly string[]): string | Record<string, string> {
  const pairs = values.map((v) => /^([0-9.eE+-]+)=(.+)$/.exec(v));
  if (values.length === 1 && !pairs[0]) return values[0]!;
  const bad = values.filter((_, i) => !pairs[i]);
  if (bad.length > 0) throw new UsageError(`--subset-file ${bad[0]}: give one JSON map FILE, or R=FILE for each ratio r (e.g. --subset-file 1=balanced.txt 0.01=split1_D_i.txt)`);
  return Object.fromEntries(pairs.map((m) => [m![1]!, m![2]!]));
}

/**
 * The configuration a study.json holds ({ protocol, configHash, config },
 * written by a run), or undefined when `file` is plain fields. A study.json
 * of another protocol is refused.
 */
export function writtenConfig(file: Readonly<Record<string, unknown>>, path: string, protocol: string): Record<string, unknown> | undefined {
  const inner = file['config'];
  if (typeof file['protocol'] !== 'string' || !isObject(inner)) return undefined;
  if (file['protocol'] !== protocol) throw new UsageError(`${path} is the study.json of a study of the ${file['protocol']} protocol; 'ltssl run ${protocol}' takes a ${protocol} configuration`);
  return inner;
}

export async function readJsonFile(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('the top level must be an object');
    return parsed;
  } catch (error) {
    throw new UsageError(`${what} ${file} is not a JSON object: ${(error as Error).message}`);
  }
}

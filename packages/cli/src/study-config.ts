import { readFile } from 'node:fs/promises';
import { IMBALANCE_PRESETS, parseImbalanceConfig, type ImbalanceConfig } from '@ltssl/experiments';
import { UsageError } from './io.js';

export interface StudyFlags {
  readonly preset?: string;
  readonly config?: string;
  readonly data?: string;
  readonly oodData?: string;
  readonly seeds?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `over` into `base`: objects field by field (one level deep), everything else replaced. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(base[k]) ? { ...base[k], ...v } : v;
  return out;
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

/**
 * The imbalance study's configuration: the preset (quick by default), then
 * the --config file's fields, then the flags; validated. A study.json written
 * by `ltssl run` ({ config: ... }) is accepted as a --config file too.
 */
export async function imbalanceConfig(flags: StudyFlags): Promise<ImbalanceConfig> {
  const presetName = flags.preset ?? 'quick';
  const preset = IMBALANCE_PRESETS[presetName as keyof typeof IMBALANCE_PRESETS];
  if (!preset) throw new UsageError(`unknown preset '${presetName}'; choose one of: ${Object.keys(IMBALANCE_PRESETS).join(', ')}`);
  let raw: Record<string, unknown> = { ...preset };
  if (flags.config) {
    const file = await readJsonFile(flags.config, 'config file');
    raw = merge(raw, isObject(file['config']) && file['protocol'] !== undefined ? file['config'] : file);
  }
  raw = merge(raw, {
    ...(flags.data ? { data: flags.data } : {}),
    ...(flags.oodData ? { oodData: flags.oodData } : {}),
    ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
  });
  let config: ImbalanceConfig;
  try {
    config = parseImbalanceConfig(raw);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (presetName === 'paper' && !flags.data && !flags.config) {
    throw new UsageError("--preset paper needs --data (the CIFAR-10 folder, e.g. cifar-10-batches-bin) and --ood-data (the STL-10 folder, e.g. stl10_binary)");
  }
  return config;
}

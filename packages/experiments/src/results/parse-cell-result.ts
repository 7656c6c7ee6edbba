import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { PROTOCOLS, type CellResult } from '../study/cell.js';

type Check = (value: unknown) => string | undefined;

const describe = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? String(value));

const string: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number');
const count: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'an integer of at least 0');
const integer: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? undefined : 'an integer');
const date: Check = (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : 'an ISO date and time');
const oneOf =
  (choices: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && choices.includes(v) ? undefined : `one of ${choices.join(', ')}`;
const ratio: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a ratio in [0, 1]');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a parsed cell result file field by field, so that a file from
 * another machine or another ltssl version is refused with the field that is
 * wrong, before anything of it reaches the store. Returns the value, typed.
 */
export function parseCellResult(file: string, value: unknown): CellResult {
  const fail = (path: string, what: string, got: unknown): never => {
    throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not a valid cell result: ${path} must be ${what} (got ${describe(got)}); remove the file or rerun the cell`);
  };
  const field = (parent: Record<string, unknown>, path: string, name: string, check: Check, optional = false): void => {
    const v = parent[name];
    if (optional && v === undefined) return;
    const what = check(v);
    if (what !== undefined) fail(path ? `${path}.${name}` : name, what, v);
  };
  const record = (parent: Record<string, unknown>, path: string, name: string, optional = false): Record<string, unknown> | undefined => {
    const v = parent[name];
    if (optional && v === undefined) return undefined;
    if (!isRecord(v)) return fail(path ? `${path}.${name}` : name, 'an object', v);
    return v;
  };
  const list = (parent: Record<string, unknown>, name: string, check: Check, path = name): void => {
    const v = parent[name];
    if (!Array.isArray(v)) return fail(path, 'a list', v);
    v.forEach((item, i) => {
      const what = check(item);
      if (what !== undefined) fail(`${path}[${i}]`, what, item);
    });
  };

  if (!isRecord(value)) return fail('the file', 'a JSON object', value);
  const cell = record(value, '', 'cell')!;
  field(cell, 'cell', 'id', (v) => (typeof v === 'string' && /^[\w.-]+$/.test(v) ? undefined : 'a file-name-safe id (letters, digits, _ . -)'));
  field(cell, 'cell', 'protocol', oneOf(PROTOCOLS));
  field(cell, 'cell', 'method', string);
  field(cell, 'cell', 'family', oneOf(['ssl', 'sl', 'random']));
  field(cell, 'cell', 'n', count);
  field(cell, 'cell', 'r', ratio);
  field(cell, 'cell', 'seed', integer);
  field(value, '', 'configHash', string);
  field(value, '', 'status', oneOf(['done', 'failed']));
  field(value, '', 'error', string, true);
  field(value, '', 'startedAt', date);
  field(value, '', 'finishedAt', date);
  field(value, '', 'seconds', finite);
  if (value['classCounts'] !== undefined) list(value, 'classCounts', count);
  const metrics = record(value, '', 'metrics')!;
  for (const name of Object.keys(metrics)) field(metrics, 'metrics', name, finite);
  const perClass = record(value, '', 'perClass', true);
  for (const name of Object.keys(perClass ?? {})) list(perClass!, name, finite, `perClass.${name}`);
  if (value['epochs'] !== undefined) {
    list(value, 'epochs', (v) => (isRecord(v) ? undefined : 'an object'));
    (value['epochs'] as Record<string, unknown>[]).forEach((e, i) => {
      const path = `epochs[${i}]`;
      field(e, path, 'epoch', count);
      field(e, path, 'loss', finite);
      const monitors = record(e, path, 'monitors')!;
      for (const name of Object.keys(monitors)) field(monitors, `${path}.monitors`, name, finite);
      field(e, path, 'knnAccuracy', finite, true);
      field(e, path, 'seconds', finite);
    });
  }
  const memory = record(value, '', 'memory')!;
  field(memory, 'memory', 'peakRssBytes', count);
  field(memory, 'memory', 'deviceBytes', count, true);
  const env = record(value, '', 'environment')!;
  for (const name of ['driver', 'device', 'node', 'platform', 'ltsslVersion']) field(env, 'environment', name, string);
  for (const name of ['lockfileHash', 'gitCommit']) field(env, 'environment', name, string, true);
  const packages = record(env, 'environment', 'packages')!;
  for (const name of Object.keys(packages)) field(packages, 'environment.packages', name, string);
  const data = record(value, '', 'data')!;
  field(data, 'data', 'inDomain', string);
  field(data, 'data', 'outOfDomain', string, true);
  const subset = record(data, 'data', 'subset', true);
  if (subset) {
    field(subset, 'data.subset', 'file', string);
    field(subset, 'data.subset', 'sha256', string);
    field(subset, 'data.subset', 'count', count);
  }
  return value as unknown as CellResult;
}

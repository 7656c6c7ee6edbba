import { readdirSync, readFileSync } from 'node:fs';
import { OP_NAMES, isOpName, type OpName } from '../ops/registry.js';
import type { OpCaseFile } from './op-case.js';

/**
 * The golden op cases: expected values computed independently of every driver
 * (PyTorch in float64, by tools/fixtures/gen_op_cases.py) and committed as JSON
 * under packages/core/golden/ops. Node only (reads files), hence its own entry
 * point `@ltssl/core/golden`.
 */
export const GOLDEN_DIR = new URL('../../golden/ops/', import.meta.url);

export function loadGoldenCases(op: OpName): OpCaseFile {
  const file = new URL(`${op}.json`, GOLDEN_DIR);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as OpCaseFile;
  if (parsed.op !== op) throw new Error(`golden file ${file.pathname} is for op '${parsed.op}', expected '${op}'`);
  return parsed;
}

/** Golden cases of every op in the op set; an op without a file is an error. */
export function loadAllGoldenCases(): OpCaseFile[] {
  const files = new Set(readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
  const stray = [...files].filter((name) => !isOpName(name));
  if (stray.length > 0) throw new Error(`golden files for ops outside the op set: ${stray.join(', ')}`);
  const missing = OP_NAMES.filter((op) => !files.has(op));
  if (missing.length > 0) throw new Error(`ops without golden cases: ${missing.join(', ')}; add them to tools/fixtures/gen_op_cases.py`);
  return OP_NAMES.map(loadGoldenCases);
}

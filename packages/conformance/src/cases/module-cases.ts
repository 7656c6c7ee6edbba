import { readdirSync, readFileSync } from 'node:fs';
import type { OpCaseTensor } from '@ltssl/core';

/** A composite block's case computed by PyTorch (tools/fixtures/gen_module_cases.py). */
export interface ModuleCase {
  readonly name: string;
  readonly source: string;
  /** 'BatchNorm' for module cases. */
  readonly module?: string;
  readonly channels?: number;
  readonly training?: boolean;
  /** Set for optimizer cases. */
  readonly optimizer?: { readonly kind: 'sgd' | 'adam'; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number; readonly betas?: readonly [number, number]; readonly eps?: number };
  readonly lrs?: readonly number[];
  readonly inputs: Readonly<Record<string, OpCaseTensor>>;
  readonly state?: Readonly<Record<string, OpCaseTensor>>;
  readonly expected?: Readonly<Record<string, OpCaseTensor>>;
  readonly expectedState?: Readonly<Record<string, OpCaseTensor>>;
}

const DIR = new URL('../../golden/modules/', import.meta.url);

export function loadModuleCases(): ModuleCase[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as ModuleCase);
}

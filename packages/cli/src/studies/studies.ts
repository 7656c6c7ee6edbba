import type { ProtocolName } from '@ltssl/experiments';
import { imbalanceStudy } from './imbalance-study.js';
import { rwsamStudy } from './rwsam-study.js';
import { semiSyntheticStudy } from './semi-synthetic-study.js';
import type { Study } from './study.js';
import { toyStudy } from './toy-study.js';

/** Every protocol the CLI runs, by name: the explicit list `ltssl run` and `ltssl cell` dispatch on. */
// Each entry is typed by its own config and data; the list sees them through Study's (bivariant) methods.
export const STUDIES: Readonly<Record<ProtocolName, Study<unknown, unknown>>> = {
  imbalance: imbalanceStudy,
  toy: toyStudy,
  rwsam: rwsamStudy,
  'semi-synthetic': semiSyntheticStudy,
};

import { PROTOCOLS, type CellSpec, type ProtocolName } from '@ltssl/experiments';
import { studyConfigHash } from '../studies/study-config-hash.js';
import { studyConfig } from '../commands/run.js';
import { UsageError } from '../io.js';
import { readJsonFile } from '../study-config.js';
import { STUDIES } from '../studies/studies.js';
import type { Study } from '../studies/study.js';

/** Where a scheduler command takes its study from: a study.json (which names its protocol) or a file of fields with --protocol. */
export interface StudySource {
  readonly config: string;
  /** Needed when the file is plain fields rather than a study.json. */
  readonly protocol?: string;
  readonly preset?: string;
}

/** A study resolved as `ltssl run` resolves it: the validated configuration, its hash, and the plan. */
export interface PlannedStudy {
  readonly study: Study<unknown, unknown>;
  readonly protocol: ProtocolName;
  readonly config: unknown;
  readonly hash: string;
  readonly cells: readonly CellSpec[];
}

/** The protocol a study.json names (checked against the protocols ltssl knows), or undefined for a file of plain fields. */
export function namedProtocol(file: Readonly<Record<string, unknown>>, path: string): ProtocolName | undefined {
  const named = file['protocol'];
  if (typeof named !== 'string') return undefined;
  if (!(PROTOCOLS as readonly string[]).includes(named)) throw new UsageError(`${path} names protocol '${named}'; ltssl knows: ${PROTOCOLS.join(', ')}`);
  return named as ProtocolName;
}

/**
 * The study of `source`: its protocol (the study.json's, else --protocol),
 * then its configuration through the one resolution of `ltssl run`
 * (studyConfig), its hash and its plan. Every mistake is a UsageError.
 */
export async function planStudy(source: StudySource): Promise<PlannedStudy> {
  const file = await readJsonFile(source.config, 'config file');
  const named = namedProtocol(file, source.config);
  if (named && source.protocol && source.protocol !== named) throw new UsageError(`${source.config} is a study.json of the ${named} protocol, not ${source.protocol}; drop --protocol`);
  const given = named ?? source.protocol;
  if (given === undefined) throw new UsageError(`${source.config} is a file of fields, which names no protocol: add --protocol (one of ${PROTOCOLS.join(', ')}), or give the study.json a run wrote`);
  if (!(PROTOCOLS as readonly string[]).includes(given)) throw new UsageError(`unknown protocol '${given}'; choose one of: ${PROTOCOLS.join(', ')}`);
  const protocol = given as ProtocolName;
  const study = STUDIES[protocol];
  const config = await studyConfig(study, { config: source.config, ...(source.preset ? { preset: source.preset } : {}) });
  return { study, protocol, config, hash: await studyConfigHash(config), cells: study.cells(config) };
}

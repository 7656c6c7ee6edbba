import type { Normalization } from '../data/normalization.js';
import type { CheckpointProgress } from '../train/pretrain.js';
import { METHOD_NAMES, type MethodName } from '../methods/method.js';
import type { EncoderSpec } from '../models/encoder.js';
import { checkpointError } from './checkpoint-error.js';
import { describeEncoderSpecProblem } from './encoder-spec-check.js';

/**
 * The checkpoint layout this ltssl writes; a reader refuses a newer one rather than misread it.
 * 2: a content hash ('ltssl.content_hash') over the tensors and the other metadata, and the run's progress.
 */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** What an ltssl checkpoint says about the run that wrote it, beside the state. */
export interface CheckpointMetadata {
  /** Layout of the file (CHECKPOINT_FORMAT_VERSION when written). */
  readonly formatVersion: number;
  /** The ltssl version that wrote the file. */
  readonly ltsslVersion: string;
  readonly method: MethodName;
  /** Epochs completed when the state was taken: a resumed run starts with epoch number `epoch` (zero-based). */
  readonly epoch: number;
  /** The run's seed (initialisation, shuffles, augmentations are keyed by it). */
  readonly seed: number;
  readonly encoder: EncoderSpec;
  /** The constants the inputs were normalised with, one per input channel; an evaluation must use the same. */
  readonly normalization: Normalization;
  /** The pre-training dataset's name ('fashion-mnist', 'cifar10', a folder). */
  readonly dataset: string;
  /** Hash of the validated run configuration: a resumed run must have the same. */
  readonly configHash: string;
  /** The run's history and time up to the checkpoint (format 2; absent in older files). */
  readonly progress?: CheckpointProgress;
}

/** What the caller of saveCheckpoint gives; the format and ltssl versions are filled in by the writer. */
export type CheckpointRunInfo = Omit<CheckpointMetadata, 'formatVersion' | 'ltsslVersion'>;

/** Each field's key in the file's `__metadata__`; every value is the field in JSON. */
export const CHECKPOINT_METADATA_KEYS = {
  formatVersion: 'ltssl.format_version',
  ltsslVersion: 'ltssl.version',
  method: 'ltssl.method',
  epoch: 'ltssl.epoch',
  seed: 'ltssl.seed',
  encoder: 'ltssl.encoder',
  normalization: 'ltssl.normalization',
  dataset: 'ltssl.dataset',
  configHash: 'ltssl.config_hash',
  progress: 'ltssl.progress',
} as const satisfies Record<keyof CheckpointMetadata, string>;

type Field = keyof CheckpointMetadata;
const FIELDS = Object.keys(CHECKPOINT_METADATA_KEYS) as Field[];
const OPTIONAL: readonly Field[] = ['progress'];

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSums = (v: unknown): boolean => isRecord(v) && Object.values(v).every(isFiniteNumber);

/** Why a progress record is wrong, or undefined: its epochs must be numbered 0.. in order, its numbers finite. */
function describeProgressProblem(value: unknown, epoch: unknown): string | undefined {
  if (!isRecord(value)) return `expected {history, seconds, startedAt}, got ${JSON.stringify(value)?.slice(0, 80)}`;
  const { history, seconds, startedAt, step } = value;
  if (!Array.isArray(history)) return 'history must be a list of epoch records';
  const bad = history.findIndex((e, i) => !isRecord(e) || e['epoch'] !== i || !isFiniteNumber(e['loss']) || !isFiniteNumber(e['seconds']) || !isSums(e['monitors']));
  if (bad >= 0) return `history[${bad}] is not the record of epoch ${bad} (epoch, finite loss, monitors and seconds)`;
  if (history.length !== epoch) return `history holds ${history.length} epochs, but the checkpoint is after epoch ${String(epoch)}`;
  if (!isFiniteNumber(seconds) || seconds < 0) return `seconds must be a non-negative number, got ${JSON.stringify(seconds)}`;
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) return `startedAt must be an ISO time, got ${JSON.stringify(startedAt)}`;
  if (step !== undefined && (!isRecord(step) || !Number.isSafeInteger(step['steps']) || (step['steps'] as number) < 1 || !isSums(step['sums']) || !isFiniteNumber(step['seconds']))) {
    return `step must be {steps >= 1, sums, seconds}, got ${JSON.stringify(step)?.slice(0, 80)}`;
  }
  return undefined;
}

/** True when the metadata is an ltssl checkpoint's (else the file is, say, a PyTorch export). */
export function isCheckpointMetadata(metadata: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(metadata, CHECKPOINT_METADATA_KEYS.formatVersion);
}

const isNonNegativeInteger = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isNonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

function describeNormalizationProblem(value: unknown, channels: number | undefined): string | undefined {
  const { mean, std } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const isFiniteArray = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!isFiniteArray(mean) || !isFiniteArray(std)) return `expected {mean, std}, two arrays of finite numbers, got ${JSON.stringify(value)}`;
  if (mean.length !== std.length) return `mean has ${mean.length} values but std has ${std.length}`;
  if (channels !== undefined && mean.length !== channels) return `holds ${mean.length} channels, but the encoder takes ${channels}`;
  if (std.some((s) => s <= 0)) return `std must be positive, got ${JSON.stringify(std)}`;
  return undefined;
}

/** Why each field of `value` is wrong, by field; empty when it is a valid CheckpointMetadata. */
function describeProblems(value: Readonly<Partial<Record<Field, unknown>>>): [Field, string][] {
  const problems: [Field, string][] = [];
  const check = (field: Field, ok: boolean, expected: string) => {
    if (!ok) problems.push([field, `expected ${expected}, got ${JSON.stringify(value[field])}`]);
  };
  check('formatVersion', Number.isSafeInteger(value.formatVersion) && (value.formatVersion as number) >= 1, 'a positive integer');
  check('ltsslVersion', isNonEmptyString(value.ltsslVersion), 'a non-empty string');
  check('method', (METHOD_NAMES as readonly unknown[]).includes(value.method), `one of ${METHOD_NAMES.join(', ')}`);
  check('epoch', isNonNegativeInteger(value.epoch), 'a non-negative integer (epochs completed)');
  check('seed', isNonNegativeInteger(value.seed), 'a non-negative integer below 2^53');
  const encoderProblem = describeEncoderSpecProblem(value.encoder);
  if (encoderProblem !== undefined) problems.push(['encoder', encoderProblem]);
  const channels = encoderProblem === undefined ? (value.encoder as EncoderSpec).inChannels : undefined;
  const normalizationProblem = describeNormalizationProblem(value.normalization, channels);
  if (normalizationProblem !== undefined) problems.push(['normalization', normalizationProblem]);
  check('dataset', isNonEmptyString(value.dataset), 'a non-empty string');
  check('configHash', isNonEmptyString(value.configHash), 'a non-empty string');
  const progressProblem = value.progress === undefined ? undefined : describeProgressProblem(value.progress, value.epoch);
  if (progressProblem !== undefined) problems.push(['progress', progressProblem]);
  return problems;
}

/**
 * Checks `value` field by field (types, ranges, normalisation channels against
 * the encoder's) and returns it typed; the error names every bad field by its
 * key in the file. `action` says what was being done: 'cannot write', 'cannot read'.
 */
export function validateCheckpointMetadata(file: string, value: Readonly<Partial<Record<Field, unknown>>>, action: string): CheckpointMetadata {
  const problems = describeProblems(value);
  if (problems.length > 0) {
    throw checkpointError(file, `${action}: checkpoint metadata ${problems.map(([field, what]) => `'${CHECKPOINT_METADATA_KEYS[field]}': ${what}`).join('; ')}`);
  }
  // Only the declared fields are kept, so what is written is exactly what a reader gets back.
  const { arch, width, inChannels } = value.encoder as EncoderSpec;
  const { mean, std } = value.normalization as Normalization;
  const kept = FIELDS.filter((f) => value[f] !== undefined).map((f) => [f, value[f]]);
  return { ...(Object.fromEntries(kept) as unknown as CheckpointMetadata), encoder: { arch, width, inChannels }, normalization: { mean: [...mean], std: [...std] } };
}

/** The metadata as `__metadata__` strings, one JSON value per key. */
export function encodeCheckpointMetadata(metadata: CheckpointMetadata): Record<string, string> {
  return Object.fromEntries(FIELDS.filter((f) => metadata[f] !== undefined).map((f) => [CHECKPOINT_METADATA_KEYS[f], JSON.stringify(metadata[f])]));
}

/**
 * Reads and validates an ltssl checkpoint's metadata from a file's
 * `__metadata__`. A file without ltssl's keys, or from a newer format, is an
 * error that says so (and what to do) rather than a partial read.
 */
export function decodeCheckpointMetadata(file: string, raw: Readonly<Record<string, string>>): CheckpointMetadata {
  if (!isCheckpointMetadata(raw)) {
    throw checkpointError(file, `not an ltssl checkpoint: its metadata has no '${CHECKPOINT_METADATA_KEYS.formatVersion}' (a PyTorch state_dict can be read with loadEncoder)`);
  }
  const value: Partial<Record<Field, unknown>> = {};
  const problems: string[] = [];
  for (const field of FIELDS) {
    const key = CHECKPOINT_METADATA_KEYS[field];
    if (!Object.hasOwn(raw, key)) {
      if (!OPTIONAL.includes(field)) problems.push(`'${key}' is missing`);
      continue;
    }
    try {
      value[field] = JSON.parse(raw[key]!);
    } catch {
      problems.push(`'${key}' is not valid JSON: ${JSON.stringify(raw[key]!.slice(0, 80))}`);
    }
  }
  const version = value.formatVersion;
  if (typeof version === 'number' && version > CHECKPOINT_FORMAT_VERSION) {
    throw checkpointError(
      file,
      `written in checkpoint format ${version} by ltssl ${String(value.ltsslVersion)}; this ltssl reads format ${CHECKPOINT_FORMAT_VERSION} and older: upgrade ltssl to read it`,
    );
  }
  if (problems.length > 0) throw checkpointError(file, `cannot read: checkpoint metadata ${problems.join('; ')}`);
  return validateCheckpointMetadata(file, value as Record<Field, unknown>, 'cannot read');
}

import type { EpochMetrics } from '../train/pretrain.js';

/** The protocols a study runs. */
export const PROTOCOLS = ['imbalance', 'toy', 'rwsam', 'semi-synthetic'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/**
 * How a method's representation is grouped in the report: self-supervised,
 * supervised, or the random-init encoder of the same architecture (the floor
 * every gain is measured from).
 */
export type MethodFamily = 'ssl' | 'sl' | 'random';

/**
 * One unit of work of a sweep: a method at one (n, r) and one seed. A cell
 * is the unit an external scheduler runs (`ltssl cell`), and a finished cell
 * is never recomputed.
 */
export interface CellSpec {
  /** Stable, filesystem-safe id, e.g. 'imbalance_simsiam_n5000_r0.01_s0'. */
  readonly id: string;
  readonly protocol: ProtocolName;
  /** A method name, 'random' for the random-init encoder, or a toy arm ('toy-ssl', 'toy-sl'). */
  readonly method: string;
  readonly family: MethodFamily;
  /** Pre-training set size n. */
  readonly n: number;
  /** Imbalance ratio r (1 is balanced). */
  readonly r: number;
  readonly seed: number;
  /** The imbalance profile, when a protocol runs several (rwsam: step and exp). */
  readonly profile?: 'exp' | 'step';
}

/** Where and on what a cell ran. */
export interface CellEnvironment {
  readonly driver: string;
  readonly device: string;
  readonly node: string;
  readonly platform: string;
  readonly ltsslVersion: string;
  /** Versions of the engines and the packages the numbers depend on. */
  readonly packages: Readonly<Record<string, string>>;
  /** SHA-256 of package-lock.json when found, so two runs can be compared for their dependencies. */
  readonly lockfileHash?: string;
  /** The git commit of the checkout, when it is one. */
  readonly gitCommit?: string;
}

/**
 * A finished (or failed) cell: what `ltssl cell` writes to its own result
 * file and the store keeps. Metrics are flat names -> numbers, e.g.
 * 'id.linear', 'id.knn', 'ood.linear', 'id.fewshot10', 'id.tail'; accuracies
 * in [0, 1].
 */
export interface CellResult {
  readonly cell: CellSpec;
  /** Hash of the study configuration that produced it; a cell of another configuration is recomputed. */
  readonly configHash: string;
  readonly status: 'done' | 'failed';
  /** Why it failed (the error message), when it did. */
  readonly error?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly seconds: number;
  /** Images per class of the pre-training subset, class 0 the head. */
  readonly classCounts?: readonly number[];
  readonly metrics: Readonly<Record<string, number>>;
  /** Per-class accuracies by metric name (the tail classes show imbalance). */
  readonly perClass?: Readonly<Record<string, readonly number[]>>;
  /** Pre-training history, one entry per epoch. */
  readonly epochs?: readonly EpochMetrics[];
  readonly memory: { readonly peakRssBytes: number; readonly deviceBytes?: number };
  readonly environment: CellEnvironment;
  /** The datasets used: in domain and out of domain, by name or path; the pre-training subset when a subset file gave it. */
  readonly data: { readonly inDomain: string; readonly outOfDomain?: string; readonly subset?: { readonly file: string; readonly sha256: string; readonly count: number } };
}

import type { Method, MethodName } from './method.js';
import { mocov2 } from './mocov2.js';
import { simclr } from './simclr.js';
import { simsiam } from './simsiam.js';
import { supcon } from './supcon.js';
import { supervised } from './supervised.js';

/** Every method option, by meaning; each method takes the ones METHOD_OPTIONS lists for it. */
export interface MethodOptions {
  /** Projector output dimension d. */
  readonly projectorDim?: number;
  /** Projector hidden width (SimCLR, SupCon, MoCo v2). */
  readonly projectorHiddenDim?: number;
  /** SimSiam's predictor bottleneck. */
  readonly predictorDim?: number;
  /** Softmax temperature tau (SimCLR, SupCon, MoCo v2). */
  readonly temperature?: number;
  /** MoCo's queue size K. */
  readonly queueSize?: number;
  /** MoCo's key-encoder momentum m. */
  readonly keyMomentum?: number;
  /** MoCo's split BatchNorm: sub-batches per batch. */
  readonly batchNormSplits?: number;
}

/** Which options each method takes. */
export const METHOD_OPTIONS: Readonly<Record<MethodName, readonly (keyof MethodOptions)[]>> = {
  supervised: [],
  simsiam: ['projectorDim', 'predictorDim'],
  mocov2: ['projectorDim', 'projectorHiddenDim', 'temperature', 'queueSize', 'keyMomentum', 'batchNormSplits'],
  simclr: ['projectorDim', 'projectorHiddenDim', 'temperature'],
  supcon: ['projectorDim', 'projectorHiddenDim', 'temperature'],
};

/**
 * Every pre-training method by name: one explicit list (solo-learn's METHODS
 * map). Options a method does not take are an error naming what it takes.
 */
export const METHODS: Readonly<Record<MethodName, (options?: MethodOptions) => Method>> = {
  supervised: () => supervised(),
  simsiam: (o = {}) => simsiam(o),
  mocov2: (o = {}) => mocov2(o),
  simclr: (o = {}) => simclr(o),
  supcon: (o = {}) => supcon(o),
};

/** The method `name` with `options`, checked against METHOD_OPTIONS. */
export function createMethod(name: MethodName, options: MethodOptions = {}): Method {
  const given = Object.entries(options).filter(([, v]) => v !== undefined).map(([k]) => k as keyof MethodOptions);
  const foreign = given.filter((k) => !METHOD_OPTIONS[name].includes(k));
  if (foreign.length > 0) {
    const takes = METHOD_OPTIONS[name];
    throw new RangeError(`${name} does not take ${foreign.join(', ')}; it takes ${takes.length > 0 ? takes.join(', ') : 'no method options'}`);
  }
  return METHODS[name](options);
}

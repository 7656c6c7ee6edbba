import { describe, expect, it } from 'vitest';
import { parseImbalanceConfig } from '../study/imbalance/imbalance-config.js';
import { parseRwsamConfig } from '../study/rwsam/rwsam-config.js';
import { parseSemiSyntheticConfig } from '../study/semi-synthetic/semi-synthetic-config.js';
import { METHOD_NAMES } from './method.js';
import { createMethod, METHOD_OPTIONS, METHODS } from './registry.js';
import { buildTrainStep } from './train-step.js';

const imbalance = (methodOptions: unknown, extra: Record<string, unknown> = {}) => ({
  protocol: 'imbalance',
  methods: ['simsiam', 'mocov2'],
  ratios: [1],
  sizes: [600],
  seeds: 1,
  encoder: { arch: 'small-cnn', width: 4 },
  pretrain: { epochs: 1, batch: 64 },
  methodOptions,
  ...extra,
});
const configError = (raw: unknown): string => {
  try {
    parseImbalanceConfig(raw);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
};

describe('method options: one schema per method', () => {
  it('lists every method once, and METHOD_OPTIONS is the fields of its schema', () => {
    expect(Object.keys(METHODS).sort()).toEqual([...METHOD_NAMES].sort());
    expect(METHOD_OPTIONS).toEqual({
      supervised: [],
      simsiam: ['projectorDim', 'predictorDim', 'projectorLayers'],
      mocov2: ['queueSize', 'keyMomentum', 'temperature', 'projectorHiddenDim', 'projectorDim', 'batchNormSplits'],
      simclr: ['projectorHiddenDim', 'projectorDim', 'temperature', 'temperatureSchedule'],
      supcon: ['projectorHiddenDim', 'projectorDim', 'temperature'],
      byol: ['projectorHiddenDim', 'projectorDim', 'predictorHiddenDim', 'baseMomentum'],
      'barlow-twins': ['projectorHiddenDim', 'projectorDim', 'lambda'],
      vicreg: ['projectorHiddenDim', 'projectorDim', 'invarianceWeight', 'varianceWeight', 'covarianceWeight'],
      sdclr: ['projectorHiddenDim', 'projectorDim', 'temperature', 'pruneFraction'],
    });
  });

  it("holds a config to the method's own bounds: MoCo's keyMomentum 1 is refused when the config is parsed", () => {
    expect(configError(imbalance({ mocov2: { keyMomentum: 1 } }))).toBe('invalid imbalance configuration: methodOptions.mocov2.keyMomentum: must be in [0, 1) (at 1 the key encoder never moves), got 1');
    expect(configError(imbalance({ mocov2: { keyMomentum: 0 } }))).toBe('parsed');
    expect(configError(imbalance({ simclr: { temperature: 0 } }))).toBe('invalid imbalance configuration: methodOptions.simclr.temperature: must be a positive number, got 0');
    expect(configError(imbalance({ simsiam: { projectorLayers: 2.5 } }))).toBe('invalid imbalance configuration: methodOptions.simsiam.projectorLayers: must be a positive integer, got 2.5');
  });

  it('refuses an option the method does not take, and a method that does not exist, naming what there is', () => {
    expect(configError(imbalance({ simsiam: { temperature: 0.5 } }))).toBe(
      'invalid imbalance configuration: methodOptions.simsiam: simsiam does not take temperature; it takes projectorDim, predictorDim, projectorLayers',
    );
    expect(configError(imbalance({ supervised: { projectorDim: 8 } }))).toBe('invalid imbalance configuration: methodOptions.supervised: supervised does not take projectorDim; it takes no method options');
    expect(configError(imbalance({ swav: {} }))).toBe(
      'invalid imbalance configuration: methodOptions: no method swav; the methods are supervised, simsiam, mocov2, simclr, supcon, byol, barlow-twins, vicreg, sdclr',
    );
    expect(() => createMethod('simsiam', { temperature: 0.5 })).toThrow('simsiam does not take temperature; it takes projectorDim, predictorDim, projectorLayers');
  });

  it("checks MoCo's queue and split BatchNorm against the config's batch before any work, for the methods the study runs", () => {
    expect(configError(imbalance({}, { pretrain: { epochs: 1, batch: 96 } }))).toBe(
      'invalid imbalance configuration: methodOptions.mocov2: the queue size K = 4096 must be a multiple of the batch B = 96 (each step replaces B rows with static slices); choose K = 4128 or a batch that divides 4096',
    );
    expect(configError(imbalance({ mocov2: { queueSize: 4032, batchNormSplits: 5 } }, { pretrain: { epochs: 1, batch: 96 } }))).toBe(
      'invalid imbalance configuration: methodOptions.mocov2: batchNormSplits = 5 must divide the batch B = 96; choose a divisor of 96',
    );
    expect(configError(imbalance({ mocov2: { queueSize: 4032 } }, { pretrain: { epochs: 1, batch: 96 } }))).toBe('parsed');
    // Not run, not checked: a study without MoCo may use any batch.
    expect(configError(imbalance({}, { methods: ['simsiam'], pretrain: { epochs: 1, batch: 96 } }))).toBe('parsed');
    expect(() => parseSemiSyntheticConfig({ arms: ['mocov2', 'random'], pretrain: { batch: 96 } })).toThrow(/^invalid semi-synthetic configuration: methodOptions\.mocov2: the queue size K = 4096 must be a multiple of the batch B = 96/);
  });

  it("keeps the parsed config as written: no defaults are filled in, so a config's hash is unchanged", () => {
    expect(parseImbalanceConfig(imbalance({ simclr: { projectorDim: 16 } })).methodOptions).toEqual({ simclr: { projectorDim: 16 } });
    expect(parseRwsamConfig({}).simsiam).toEqual({ projectorDim: 256, predictorDim: 64 });
  });

  it("sets SimSiam's projectorLayers from a config: three layers give projector.0, .3 and .6 Linear weights", () => {
    const config = parseRwsamConfig({ simsiam: { projectorDim: 8, predictorDim: 4, projectorLayers: 3 } });
    const program = buildTrainStep(createMethod('simsiam', config.simsiam), {
      encoder: { arch: 'small-cnn', width: 4, inChannels: 1 },
      shape: { batch: 4, channels: 1, height: 8, width: 8, classes: 2 },
      seed: 1,
      momentum: 0.9,
      weightDecay: 0,
    });
    const linears = program.state.filter((s) => /^projector\.\d+\.weight$/.test(s.name) && s.shape.length === 2).map((s) => `${s.name}[${s.shape.join(',')}]`);
    expect(linears).toEqual(['projector.0.weight[8,16]', 'projector.3.weight[8,8]', 'projector.6.weight[8,8]']);
    expect(() => parseRwsamConfig({ simsiam: { projectorLayers: 0 } })).toThrow('invalid rwsam configuration: simsiam.projectorLayers: must be a positive integer, got 0');
  });

  it('ignores options given as undefined (flags not set), and keeps each default', () => {
    expect(createMethod('supervised', { projectorDim: undefined }).name).toBe('supervised');
    expect(createMethod('mocov2', { queueSize: undefined }).checkBatch?.(64)).toBeUndefined();
    expect(createMethod('mocov2').checkBatch?.(96)).toMatch(/^the queue size K = 4096 /);
  });
});

import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../methods/method.js';
import { createMethod } from '../../methods/registry.js';
import { IMBALANCE_PRESETS } from '../presets.js';
import { imbalanceArm } from './imbalance-arms.js';
import { imbalanceCells } from './imbalance-cells.js';
import { parseImbalanceConfig } from './imbalance-config.js';

const base = { protocol: 'imbalance', ratios: [1, 0.1], sizes: [600], seeds: 1, encoder: { arch: 'small-cnn', width: 4 }, pretrain: { epochs: 1, batch: 64 } };
const refused = (raw: unknown, message: string | RegExp): void => void expect(() => parseImbalanceConfig(raw)).toThrow(message);

describe('arms of an imbalance sweep: methods and named variants', () => {
  it('runs a variant as an arm of its own, with its own options, its method family and its name in the cell ids', () => {
    const config = parseImbalanceConfig({ ...base, methods: ['simclr', 'simclr-tts'], variants: { 'simclr-tts': { method: 'simclr', options: { temperatureSchedule: { periodEpochs: 2 } } } }, methodOptions: { simclr: { projectorDim: 8 } } });
    const cells = imbalanceCells(config);
    expect(cells.filter((c) => c.method === 'simclr-tts').map((c) => [c.id, c.family])).toEqual([
      ['imbalance_simclr-tts_n600_r1_s0', 'ssl'],
      ['imbalance_simclr-tts_n600_r0.1_s0', 'ssl'],
    ]);
    const arm = imbalanceArm(config, 'simclr-tts');
    expect(arm).toEqual({ name: 'simclr-tts', method: 'simclr', options: { temperatureSchedule: { periodEpochs: 2 } } });
    expect(createMethod(arm.method, arm.options).schedules?.map((s) => s.name)).toEqual(['temperature']);
    expect(imbalanceArm(config, 'simclr').options).toEqual({ projectorDim: 8 });
  });

  it('refuses an arm that is neither a method nor a variant, bad variant options, and a variant named like a method', () => {
    refused({ ...base, methods: ['simclr-tts'] }, `invalid imbalance configuration: methods: no method or variant 'simclr-tts': the methods are ${METHOD_NAMES.join(', ')} (define a variant under variants)`);
    refused({ ...base, methods: ['x'], variants: { x: { method: 'simclr', options: { temperature: 0 } } } }, 'invalid imbalance configuration: variants.x.options.temperature: must be a positive number, got 0');
    refused({ ...base, methods: ['simclr'], variants: { simclr: { method: 'simclr' } } }, "invalid imbalance configuration: variants.simclr: 'simclr' is a method's name; give the variant another one");
    refused({ ...base, methods: ['m'], variants: { m: { method: 'mocov2', options: { queueSize: 100 } } } }, /^invalid imbalance configuration: variants\.m: the queue size K = 100 must be a multiple of the batch B = 64/);
  });

  it('keeps a config without variants as it was: no variants field, so its hash does not change', () => {
    expect('variants' in parseImbalanceConfig({ ...base, methods: ['simclr'] })).toBe(false);
  });
});

describe('the presets', () => {
  it('quick sweeps three n, every r at each, for the Delta-against-n figure', () => {
    const quick = parseImbalanceConfig(IMBALANCE_PRESETS.quick);
    expect(quick.sizes).toEqual([525, 1050, 2100]);
    expect(imbalanceCells(quick)).toHaveLength(3 * (1 + 3 * 2 * 2));
  });

  it('methods runs every SSL method, SimCLR with the temperature schedule and supervised, 5 seeds: 95 cells', () => {
    const methods = parseImbalanceConfig(IMBALANCE_PRESETS.methods);
    const cells = imbalanceCells(methods);
    expect(cells).toHaveLength(95);
    const ssl = METHOD_NAMES.filter((m) => !createMethod(m).usesLabels);
    expect(new Set(cells.filter((c) => c.family === 'ssl').map((c) => imbalanceArm(methods, c.method).method))).toEqual(new Set(ssl));
    expect([...new Set(cells.filter((c) => c.family === 'sl').map((c) => c.method))]).toEqual(['supervised']);
    expect(cells.filter((c) => c.family === 'random').map((c) => c.seed)).toEqual([0, 1, 2, 3, 4]);
  });
});

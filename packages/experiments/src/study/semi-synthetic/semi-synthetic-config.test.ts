import { describe, expect, it } from 'vitest';
import { armRatio, armTrainSize, compositeSize, DEFAULT_SEMI_SYNTHETIC_CONFIG, parseSemiSyntheticConfig, SEMI_SYNTHETIC_PRESETS } from './semi-synthetic-config.js';

describe('semi-synthetic config', () => {
  it('defaults to the paper design scaled to the embedded Fashion-MNIST subset', () => {
    const c = DEFAULT_SEMI_SYNTHETIC_CONFIG;
    expect(c.protocol).toBe('semi-synthetic');
    expect(c.data).toBe('fashion-mnist');
    expect(c.frequentSources).toEqual([1, 5, 7, 8, 9]);
    expect(c.rareSources).toEqual([0, 2, 3, 4, 6]);
    expect([c.frequentCount, c.rareCount]).toEqual([1000, 10]);
    expect(c.arms).toEqual(['simclr', 'supervised', 'supervised-rare', 'random']);
    expect(c.seeds).toBe(3);
    expect(c.encoder).toEqual({ arch: 'small-cnn', width: 8 });
    expect(c.pretrain).toEqual({ epochs: 15, batch: 128, baseLr: {}, checkpointEvery: 5 });
    expect(c.supervisedRare).toEqual({ epochs: 100, batch: 64 });
    expect(c.probe).toEqual({ perClass: 500, testPerClass: 500, frequentPerClass: 200, epochs: 30, fewShot: [10] });
    expect(c.gradCam).toEqual({ perClass: 40, overlays: 5 });
    // The embedded subset holds 1000 train images a class: the default must fit it.
    expect(Math.max(c.frequentCount, c.probe.perClass, c.probe.frequentPerClass)).toBeLessThanOrEqual(1000);
  });

  it('sizes each arm: the composite set, the rare composites alone, nothing for random init', () => {
    const c = DEFAULT_SEMI_SYNTHETIC_CONFIG;
    expect([armTrainSize(c, 'simclr'), armRatio(c, 'simclr')]).toEqual([5050, 0.01]);
    expect([armTrainSize(c, 'supervised'), armRatio(c, 'supervised')]).toEqual([5050, 0.01]);
    expect([armTrainSize(c, 'supervised-rare'), armRatio(c, 'supervised-rare')]).toEqual([50, 1]);
    expect([armTrainSize(c, 'random'), armRatio(c, 'random')]).toEqual([0, 1]);
  });

  it('rounds the composite width up to a multiple of 16 unless a size is given', () => {
    expect(compositeSize({}, 28, 28)).toEqual([28, 32]);
    expect(compositeSize({}, 32, 32)).toEqual([32, 32]);
    expect(compositeSize({ size: [20, 40] }, 28, 28)).toEqual([20, 40]);
  });

  it('parses both presets and fills nested defaults', () => {
    const quick = parseSemiSyntheticConfig(SEMI_SYNTHETIC_PRESETS.quick);
    expect([quick.frequentCount, quick.rareCount, quick.seeds, quick.encoder.width]).toEqual([60, 4, 1, 4]);
    expect(quick.pretrain.baseLr).toEqual({});
    const paper = parseSemiSyntheticConfig(SEMI_SYNTHETIC_PRESETS.paper);
    expect([paper.data, paper.frequentCount, paper.rareCount, paper.rareCount / paper.frequentCount]).toEqual(['fashion-mnist-full', 5000, 10, 0.002]);
    expect(paper.rareSources.length * paper.probe.perClass).toBe(25_000);
    const partial = parseSemiSyntheticConfig({ probe: { epochs: 3 } });
    expect(partial.probe).toEqual({ ...DEFAULT_SEMI_SYNTHETIC_CONFIG.probe, epochs: 3 });
  });

  it('refuses bad values, naming the field and what to do', () => {
    const bad = (raw: unknown): string => {
      try {
        parseSemiSyntheticConfig(raw);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(bad({ rareSources: [0, 1, 2, 3, 4] })).toMatch(/^invalid semi-synthetic configuration: rareSources: frequent and rare source classes must be distinct/);
    expect(bad({ rareCount: 2000 })).toContain('rareCount: rareCount 2000 exceeds frequentCount 1000');
    expect(bad({ size: [28, 31] })).toContain('size[1]: width 31 must be even');
    expect(bad({ arms: ['simclr', 'simclr'] })).toContain('arms: arms must be distinct');
    expect(bad({ arms: ['moco'] })).toMatch(/arms\[0\]/);
    expect(bad({ frequentCount: 10, rareCount: 2, pretrain: { batch: 128 } })).toContain('pretrain.batch: batch 128 exceeds the 60 pre-training composites; lower it');
    expect(bad({ gradCam: { perClass: 600 } })).toContain('gradCam.perClass: 600 Grad-CAM examples per class exceed the 500 test composites per class');
    expect(bad({ probe: { shots: 3 } })).toMatch(/probe/);
    expect(bad({ probe: { perClass: 20, fewShot: [10, 50] } })).toContain('probe.fewShot[1]: 50 shots exceed the 20 probe composites per class (probe.perClass)');
    expect(bad({ seeds: 0 })).toMatch(/seeds/);
  });
});

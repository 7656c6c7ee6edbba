import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMBALANCE_PRESETS, parseImbalanceConfig, parseRwsamConfig } from '@ltssl/experiments';
import { afterAll, describe, expect, it } from 'vitest';
import { studyConfig } from './commands/run.js';
import { imbalanceStudy } from './studies/imbalance-study.js';
import { semiSyntheticStudy } from './studies/semi-synthetic-study.js';
import { toyStudy } from './studies/toy-study.js';
import { mergeFields, resolveConfig } from './study-config.js';
import { writeJson } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => writeJson(dir, name, content);

describe('the merge rule', () => {
  it('merges objects field by field at every depth, and replaces arrays, scalars and null whole', () => {
    const base = { a: 1, ratios: [1, 0.004], methodOptions: { simclr: { projectorDim: 64, projectorHiddenDim: 256 } }, oodData: 'mnist' };
    const over = { ratios: [1], methodOptions: { simclr: { temperature: 0.2 }, simsiam: { predictorDim: 8 } }, oodData: null };
    expect(mergeFields(base, over)).toEqual({ a: 1, ratios: [1], methodOptions: { simclr: { projectorDim: 64, projectorHiddenDim: 256, temperature: 0.2 }, simsiam: { predictorDim: 8 } }, oodData: null });
    // Neither side is changed.
    expect(base.methodOptions.simclr).toEqual({ projectorDim: 64, projectorHiddenDim: 256 });
    expect(mergeFields({ probe: { fewShot: [10] } }, { probe: 'x' })).toEqual({ probe: 'x' });
  });

  it('resolves preset, then file, then flags, and validates the result', () => {
    const config = resolveConfig(IMBALANCE_PRESETS.quick, { seeds: 2, probe: { epochs: 3 } }, { seeds: 1 }, parseImbalanceConfig);
    expect(config.seeds).toBe(1);
    expect(config.probe).toEqual({ ...IMBALANCE_PRESETS.quick.probe, epochs: 3 });
    expect(() => resolveConfig(undefined, { size: -1 }, {}, parseRwsamConfig)).toThrow(/^invalid rwsam configuration: size: /);
  });
});

describe("a study's configuration from the flags", () => {
  it("takes a study.json whole: the default preset's fields do not creep under it", async () => {
    const paperLike = parseImbalanceConfig({ ...IMBALANCE_PRESETS.paper, data: 'fashion-mnist', oodData: 'mnist' });
    const written = file('study.json', { protocol: 'imbalance', configHash: 'h', config: paperLike });
    // Merged over the quick preset, methodOptions would gain quick's simclr projector.
    expect(await studyConfig(imbalanceStudy, { config: written })).toEqual(paperLike);
    expect(await studyConfig(imbalanceStudy, { config: written, seeds: 1 })).toEqual({ ...paperLike, seeds: 1 });
    await expect(studyConfig(imbalanceStudy, { config: written, preset: 'quick' })).rejects.toThrow(/study\.json, the whole configuration of a run: --preset does not go under it/);
    await expect(studyConfig(toyStudy, { config: written })).rejects.toThrow(/is the study\.json of a study of the imbalance protocol; 'ltssl run toy' takes a toy configuration$/);
  });

  it('puts a plain file over the default preset, objects merged field by field', async () => {
    const fields = file('fields.json', { methodOptions: { simclr: { temperature: 0.2 } } });
    const config = await studyConfig(imbalanceStudy, { config: fields });
    expect(config.methodOptions.simclr).toEqual({ projectorDim: 64, projectorHiddenDim: 256, temperature: 0.2 });
    expect(config.sizes).toEqual(IMBALANCE_PRESETS.quick.sizes);
  });

  it('refuses flags a protocol does not take, and names the presets there are', async () => {
    await expect(studyConfig(toyStudy, { data: 'mnist' })).rejects.toThrow(/^--data and --ood-data do not apply to the toy protocol: its data is generated$/);
    await expect(studyConfig(toyStudy, { preset: 'quick' })).rejects.toThrow(/^--preset applies to the imbalance and semi-synthetic protocols; the toy protocol takes --config$/);
    await expect(studyConfig(semiSyntheticStudy, { preset: 'huge' })).rejects.toThrow(/^unknown semi-synthetic preset 'huge'; choose one of: quick, paper \(or none, for the defaults\)$/);
    await expect(studyConfig(imbalanceStudy, { preset: 'huge' })).rejects.toThrow(/^unknown imbalance preset 'huge'; choose one of: quick, methods, paper$/);
  });
});

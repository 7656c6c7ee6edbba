import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInfo, Program } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { buildFeatureProgram, buildTrainStep, createMethod, loadDataset, parseSemiSyntheticConfig, readGradCamExamples, runSemiSyntheticCell, SEMI_SYNTHETIC_PRESETS, semiSyntheticCells, type LoadedDataset } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const onnx = new OnnxDriver();
let info: DeviceInfo;
let data: LoadedDataset;
const root = mkdtempSync(join(tmpdir(), 'ltssl-semi-protocol-'));
beforeAll(async () => {
  info = await onnx.init();
  data = await loadDataset('fashion-mnist');
});
afterAll(async () => {
  await onnx.dispose();
  rmSync(root, { recursive: true, force: true });
});

const config = parseSemiSyntheticConfig(SEMI_SYNTHETIC_PRESETS.quick);
const cellOf = (arm: string, seed = 0) => semiSyntheticCells(config).find((c) => c.method === arm && c.seed === seed)!;

describe('semi-synthetic cells on the ONNX driver', () => {
  it('resume: a rerun of a finished cell restores its checkpoint and gives the same numbers', async () => {
    const studyDir = join(root, 'resume');
    const ctx = { driver: onnx, info, data, studyDir, configHash: 'h1' };
    const first = await runSemiSyntheticCell(cellOf('supervised-rare'), config, ctx);
    expect(readdirSync(join(studyDir, 'checkpoints', cellOf('supervised-rare').id)).length).toBeGreaterThan(0);
    let resumed = -1;
    const again = await runSemiSyntheticCell(cellOf('supervised-rare'), config, { ...ctx, progress: { onResume: (done) => (resumed = done) } });
    expect(resumed).toBe(config.supervisedRare.epochs);
    expect(again.metrics).toEqual(first.metrics);
    expect(first.classCounts).toEqual([4, 4, 4, 4, 4]);
    expect(first.epochs).toHaveLength(config.supervisedRare.epochs);
    const [examples] = await readGradCamExamples(studyDir);
    expect(examples!.examples.map((e) => [e.kind, e.labelHalf])).toEqual([
      ['frequent', 0],
      ['frequent', 0],
      ['frequent', 0],
      ['rare', 1],
      ['rare', 1],
      ['rare', 1],
    ]);
    // One class each in turn: the overlays show three different classes of each kind.
    expect(new Set(examples!.examples.map((e) => e.label)).size).toBe(6);
  }, 60_000);

  it('random init: no training, no checkpoint, one result per seed', async () => {
    const studyDir = join(root, 'random');
    const ctx = { driver: onnx, info, data, studyDir, configHash: 'h2' };
    const two = parseSemiSyntheticConfig({ ...SEMI_SYNTHETIC_PRESETS.quick, seeds: 2, arms: ['random'] });
    const [s0, s1] = [semiSyntheticCells(two)[0]!, semiSyntheticCells(two)[1]!];
    const r0 = await runSemiSyntheticCell(s0, two, ctx);
    const r1 = await runSemiSyntheticCell(s1, two, ctx);
    expect(existsSync(join(studyDir, 'checkpoints'))).toBe(false);
    expect([r0.epochs, r0.classCounts]).toEqual([[], undefined]);
    const sets = await readGradCamExamples(studyDir);
    // Seeds draw other test composites and other weights.
    expect(sets[0]!.examples[0]!.cam.values).not.toEqual(sets[1]!.examples[0]!.cam.values);
    for (const r of [r0, r1]) for (const m of ['gradcam.frequent.labelShare', 'gradcam.rare.labelShare']) expect(r.metrics[m]).toBeGreaterThan(0);
  }, 60_000);

  it("random init holds the initialisation a training step of the cell's seed starts from", async () => {
    const spec = { arch: 'small-cnn' as const, width: 4, inChannels: 1 };
    const slot = 'encoder.conv1.weight';
    const init = async (program: Program): Promise<number[]> => {
      const exec = await onnx.compile(program);
      const state = await exec.readState([slot]);
      exec.dispose();
      return [...state[slot]!.data];
    };
    const step = buildTrainStep(createMethod('supervised'), { encoder: spec, shape: { batch: 4, channels: 1, height: 8, width: 8, classes: 5 }, seed: 3, momentum: 0.9, weightDecay: 0 });
    const random3 = await init(buildFeatureProgram(spec, 4, 8, 8, 3));
    expect(random3).toEqual(await init(step));
    expect(random3).not.toEqual(await init(buildFeatureProgram(spec, 4, 8, 8, 4)));
  });

  it('refuses a cell of another configuration or protocol, naming it', async () => {
    const ctx = { driver: onnx, info, data, studyDir: join(root, 'refuse'), configHash: 'h3' };
    const other = parseSemiSyntheticConfig({ ...SEMI_SYNTHETIC_PRESETS.quick, rareCount: 2 });
    await expect(runSemiSyntheticCell(cellOf('simclr'), other, ctx)).rejects.toThrow(
      'cell semi-synthetic_simclr_n320_r0.06666666666666667_s0 (n = 320, r = 0.06666666666666667, ssl) belongs to another configuration: this one gives simclr n = 310, r = 0.03333333333333333; plan it again with semiSyntheticCells',
    );
    await expect(runSemiSyntheticCell({ ...cellOf('simclr'), protocol: 'toy' }, config, ctx)).rejects.toThrow(/is of protocol 'toy'; runSemiSyntheticCell runs 'semi-synthetic' cells only/);
    await expect(runSemiSyntheticCell({ ...cellOf('simclr'), method: 'moco' }, config, ctx)).rejects.toThrow(/unknown semi-synthetic arm 'moco'/);
  });
});

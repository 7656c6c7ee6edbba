import type { Executable } from '@ltssl/core';
import type { ImageSet } from '../../data/image-set.js';
import type { Normalization } from '../../data/normalization.js';
import { SEMI_SYNTHETIC_HALF } from '../../data/semi-synthetic/semi-synthetic.js';
import { extractFeatures, type FeatureMatrix } from '../../eval/extract-features.js';
import { buildFeatureProgram } from '../../eval/feature-program.js';
import { buildGradCamProgram } from '../../eval/grad-cam.js';
import { labelHalfShares } from '../../eval/label-half-share.js';
import { trainLinearProbe, type LinearHead } from '../../eval/linear-probe.js';
import { computeGradCam } from '../../eval/run-grad-cam.js';
import type { MethodName } from '../../methods/method.js';
import type { EncoderSpec } from '../../models/encoder.js';
import type { EpochMetrics } from '../../train/pretrain.js';
import type { CellResult, CellSpec } from '../cell.js';
import { pretrainOn, type CellContext } from '../cell-pretrain.js';
import { doneCellResult } from '../cell-result.js';
import { RunClock } from '../../train/run-clock.js';
import { compositeAugmentation } from './composite-augmentation.js';
import { writeGradCamExamples, type GradCamExample } from './gradcam-examples.js';
import { semiSyntheticFamily } from './semi-synthetic-cells.js';
import { armRatio, armTrainSize, SEMI_SYNTHETIC_ARMS, type SemiSyntheticArm, type SemiSyntheticConfig } from './semi-synthetic-config.js';
import { buildSemiSyntheticData, firstOfEachClass, relabeledSubset, type SemiSyntheticData } from './semi-synthetic-data.js';

/** What a cell needs besides its spec: the source dataset (loaded once per study; no OOD set) and where to write. */
export type SemiSyntheticCellContext = CellContext;

/** Images a Grad-CAM program takes per run. */
const GRAD_CAM_BATCH = 64;

/** The cell's arm, checked against the cell and the config. */
function armOf(cell: CellSpec, config: SemiSyntheticConfig): SemiSyntheticArm {
  if (cell.protocol !== 'semi-synthetic') throw new Error(`cell ${cell.id} is of protocol '${cell.protocol}'; runSemiSyntheticCell runs 'semi-synthetic' cells only`);
  const arm = cell.method as SemiSyntheticArm;
  if (!(SEMI_SYNTHETIC_ARMS as readonly string[]).includes(arm)) throw new Error(`cell ${cell.id}: unknown semi-synthetic arm '${cell.method}'; the arms are ${SEMI_SYNTHETIC_ARMS.join(', ')}`);
  const n = armTrainSize(config, arm);
  const r = armRatio(config, arm);
  if (cell.n !== n || cell.r !== r || cell.family !== semiSyntheticFamily(config, arm)) {
    throw new Error(`cell ${cell.id} (n = ${cell.n}, r = ${cell.r}, ${cell.family}) belongs to another configuration: this one gives ${arm} n = ${n}, r = ${r}; plan it again with semiSyntheticCells`);
  }
  return arm;
}

/** A pre-trained encoder: the training executable (its state holds 'encoder.*'), its history and its class counts. */
interface Pretrained {
  readonly executable: Executable;
  readonly epochs: readonly EpochMetrics[];
  readonly classCounts: readonly number[];
}

/**
 * Pre-trains the arm: a method on the whole composite set, or supervised on
 * the rare composites alone (supervised-rare, labels 0 .. R-1, a batch of at
 * most all of them). Checkpointed under checkpoints/<cell id>/ and resumed.
 */
async function pretrainArm(arm: Exclude<SemiSyntheticArm, 'random'>, cell: CellSpec, config: SemiSyntheticConfig, data: SemiSyntheticData, ctx: SemiSyntheticCellContext): Promise<Pretrained> {
  const name: MethodName = arm === 'supervised-rare' ? 'supervised' : arm;
  const F = config.frequentSources.length;
  const R = config.rareSources.length;
  const rareOnly = arm === 'supervised-rare';
  const rareRows = Int32Array.from(data.pretrain.rareClasses.flatMap((c) => [...data.pretrain.set.labels.keys()].filter((i) => data.pretrain.set.labels[i] === c)));
  const set: ImageSet = rareOnly ? relabeledSubset(data.pretrain.set, rareRows, F, R, `${data.pretrain.set.name}, rare composites`) : data.pretrain.set;
  const baseLr = config.pretrain.baseLr[name];
  const settings = {
    method: name,
    methodOptions: config.methodOptions[name] ?? {},
    encoder: config.encoder,
    epochs: rareOnly ? config.supervisedRare.epochs : config.pretrain.epochs,
    batch: rareOnly ? Math.min(config.supervisedRare.batch, set.count) : config.pretrain.batch,
    checkpointEvery: config.pretrain.checkpointEvery,
    ...(baseLr ? { baseLr } : {}),
  };
  const augmentation = (views: 1 | 2, normalization: Normalization) => compositeAugmentation(views, normalization, set.height, set.width);
  const result = await pretrainOn(cell, settings, { set, indices: Int32Array.from({ length: set.count }, (_, i) => i), augmentation }, ctx);
  const classCounts = rareOnly ? new Array<number>(R).fill(config.rareCount) : [...new Array<number>(F).fill(config.frequentCount), ...new Array<number>(R).fill(config.rareCount)];
  return { executable: result.executable, epochs: result.epochs, classCounts };
}

/** A feature matrix with its labels shifted down by `offset` (rare classes F .. F+R-1 -> 0 .. R-1). */
function shiftLabels(m: FeatureMatrix, offset: number): FeatureMatrix {
  return { ...m, labels: m.labels.map((y) => y - offset) };
}

/** The first `shots` rows of each class of a feature matrix (the probe set's order within a class is a seeded draw, so the rows of K shots are among those of more). */
function firstRowsOfEachClass(m: FeatureMatrix, shots: number): FeatureMatrix {
  const taken = new Map<number, number>();
  const rows: number[] = [];
  m.labels.forEach((y, row) => {
    if ((taken.get(y) ?? 0) < shots) {
      rows.push(row);
      taken.set(y, (taken.get(y) ?? 0) + 1);
    }
  });
  const values = new Float32Array(rows.length * m.dim);
  rows.forEach((row, i) => values.set(m.values.subarray(row * m.dim, (row + 1) * m.dim), i * m.dim));
  return { values, count: rows.length, dim: m.dim, labels: Int32Array.from(rows, (row) => m.labels[row]!) };
}

/** Composites of `set` whose label is one of `classes`, in set order. */
function rowsOf(set: ImageSet, classes: readonly number[]): Int32Array {
  const wanted = new Set(classes);
  return Int32Array.from([...set.labels.keys()].filter((i) => wanted.has(set.labels[i]!)));
}

/** What one kind of test composite (frequent or rare) gives: the probe's accuracy and head, then Grad-CAM under that head. */
interface KindOutcome {
  readonly metrics: Record<string, number>;
  readonly perClass: readonly number[];
  readonly examples: GradCamExample[];
}

/**
 * One kind of composite: the linear probe on frozen features (train
 * composites of `train`, test composites of `kind` from the test set), then
 * Grad-CAM of the probe's true-class score on gradCam.perClass test
 * composites a class, and the share of each map on the label half.
 */
async function evaluateKind(
  kind: 'frequent' | 'rare',
  train: ImageSet,
  data: SemiSyntheticData,
  config: SemiSyntheticConfig,
  featurizer: Executable,
  gradCamFor: (head: LinearHead) => Promise<Executable>,
  ctx: SemiSyntheticCellContext,
  seed: number,
): Promise<KindOutcome> {
  const test = data.test.set;
  const classes = kind === 'rare' ? data.test.rareClasses : data.test.frequentClasses;
  const offset = classes[0]!;
  const normalization = ctx.data.normalization;
  const probeTrain = shiftLabels(await extractFeatures(featurizer, train, normalization, undefined, ctx.progress), offset);
  const probeTest = shiftLabels(await extractFeatures(featurizer, test, normalization, rowsOf(test, classes), ctx.progress), offset);
  const probeOptions = { classes: classes.length, epochs: config.probe.epochs, seed, ...(ctx.progress ? { progress: ctx.progress } : {}) };
  const probe = await trainLinearProbe(ctx.driver, probeTrain, probeTest, probeOptions);
  const metrics: Record<string, number> = { [`${kind}.linear`]: probe.accuracy.top1 };
  if (kind === 'rare') {
    for (const shots of config.probe.fewShot) {
      const fewShot = await trainLinearProbe(ctx.driver, firstRowsOfEachClass(probeTrain, shots), probeTest, probeOptions);
      metrics[`rare.fewshot${shots}`] = fewShot.accuracy.top1;
    }
  }

  const rows = firstOfEachClass(test, classes, config.gradCam.perClass);
  const maps = await computeGradCam(
    await gradCamFor(probe.head),
    test,
    normalization,
    rows,
    Array.from(rows, (i) => test.labels[i]! - offset),
    probe.head,
  );
  const summary = labelHalfShares(maps.cams, maps.count, maps.height, maps.width, Array.from(rows, (i) => data.test.labelHalf[i]!));
  // A share is a mean over maps with any mass; a kind whose every map is zero has none (and says so in emptyFraction).
  if (Number.isFinite(summary.meanShare)) metrics[`gradcam.${kind}.labelShare`] = summary.meanShare;
  metrics[`gradcam.${kind}.emptyFraction`] = summary.empty / summary.count;

  // Overlays: example j is the (j div K)-th Grad-CAM composite of class j mod K, so the first K show K classes.
  const plane = maps.height * maps.width;
  const size = test.channels * test.height * test.width;
  const examples: GradCamExample[] = [];
  for (let j = 0; j < Math.min(config.gradCam.overlays, rows.length); j++) {
    const position = (j % classes.length) * config.gradCam.perClass + Math.floor(j / classes.length);
    if (position >= rows.length) break;
    const i = rows[position]!;
    const share = summary.shares[position];
    examples.push({
      kind,
      label: test.labels[i]!,
      className: test.classNames?.[test.labels[i]!] ?? `class ${test.labels[i]}`,
      labelHalf: data.test.labelHalf[i] === SEMI_SYNTHETIC_HALF.left ? 0 : 1,
      prediction: maps.predictions[position]! + offset,
      ...(share === undefined ? {} : { share }),
      image: { channels: test.channels, height: test.height, width: test.width, pixels: Array.from(test.pixels.subarray(i * size, (i + 1) * size)) },
      cam: { height: maps.height, width: maps.width, values: Array.from(maps.cams.subarray(position * plane, (position + 1) * plane), (v) => Number(v.toPrecision(5))) },
    });
  }
  return { metrics, perClass: probe.accuracy.perClass, examples };
}

/**
 * One cell of the semi-synthetic protocol (docs/paper.md "Semi-synthetic study"):
 * build the seed's composites, pre-train the arm (nothing for random init),
 * then, on the frozen encoder (eval mode):
 * - 'rare.linear': a linear probe trained on balanced rare composites,
 *   tested on the rare classes of the test split (the paper's number);
 * - 'rare.fewshotK': the same probe from K composites a rare class;
 * - 'frequent.linear': the same for the frequent classes;
 * - 'gradcam.frequent.labelShare' / 'gradcam.rare.labelShare': the mean share
 *   of Grad-CAM mass (of each probe's true-class score) on the label half
 *   (left for frequent composites, right for rare ones); 0.5 is an even split;
 * - 'gradcam.*.emptyFraction': composites whose map was all zero (left out of the share).
 * A few composites with their maps go to gradcam/<cell id>.json for the report's overlays.
 */
export async function runSemiSyntheticCell(cell: CellSpec, config: SemiSyntheticConfig, ctx: SemiSyntheticCellContext): Promise<CellResult> {
  const clock = ctx.clock ?? new RunClock();
  const arm = armOf(cell, config);
  const data = buildSemiSyntheticData(config, ctx.data, cell.seed);
  const { height, width, channels } = data.pretrain.set;
  const encoder: EncoderSpec = { arch: config.encoder.arch, width: config.encoder.width, inChannels: channels };
  let pretrained: Pretrained | undefined;
  const compiled: Executable[] = [];
  try {
    if (arm !== 'random') pretrained = await pretrainArm(arm, cell, config, data, ctx);
    // Random init: the feature program alone holds the initialisation a training step of this seed starts from.
    const featureProgram = buildFeatureProgram(encoder, 256, height, width, cell.seed);
    const featurizer = await ctx.driver.compile(featureProgram, pretrained ? { shareState: pretrained.executable } : {});
    compiled.push(featurizer);
    const gradCams = new Map<number, Executable>();
    const gradCamFor = async (head: LinearHead): Promise<Executable> => {
      let exec = gradCams.get(head.classes);
      if (!exec) {
        exec = await ctx.driver.compile(buildGradCamProgram(encoder, { batch: GRAD_CAM_BATCH, height, width, classes: head.classes }), { shareState: pretrained?.executable ?? featurizer });
        compiled.push(exec);
        gradCams.set(head.classes, exec);
      }
      return exec;
    };
    const rare = await evaluateKind('rare', data.rareProbe.set, data, config, featurizer, gradCamFor, ctx, cell.seed);
    const frequent = await evaluateKind('frequent', data.frequentProbe.set, data, config, featurizer, gradCamFor, ctx, cell.seed);
    await writeGradCamExamples(ctx.studyDir, { cellId: cell.id, method: cell.method, family: cell.family, seed: cell.seed, configHash: ctx.configHash, examples: [...frequent.examples, ...rare.examples] });
    return doneCellResult(cell, ctx, clock, {
      ...(pretrained ? { counts: pretrained.classCounts } : {}),
      metrics: { ...rare.metrics, ...frequent.metrics },
      perClass: { 'rare.linear': rare.perClass, 'frequent.linear': frequent.perClass },
      epochs: pretrained?.epochs ?? [],
      data: { inDomain: `semi-synthetic(${ctx.data.name})` },
    });
  } finally {
    for (const exec of compiled.reverse()) exec.dispose();
    pretrained?.executable.dispose();
  }
}

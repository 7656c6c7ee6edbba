import { hostTensor, type Executable, type Feeds } from '@ltssl/core';
import { evalAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import type { Batch } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import type { LinearHead } from './linear-probe.js';
import { forEachBatch } from './predict-batches.js';

/** Grad-CAM maps of a list of images, row i for indices[i]. */
export interface GradCamMaps {
  /** [count, height, width] row-major, non-negative. */
  readonly cams: Float32Array;
  readonly count: number;
  /** The feature map's spatial size H' x W'. */
  readonly height: number;
  readonly width: number;
  /** The head's top class of each image (argmax of its logits). */
  readonly predictions: Int32Array;
}

/**
 * Runs a Grad-CAM program (buildGradCamProgram) over the images at `indices`
 * of `set`, each image's map for the class targets[i] of `head`: no
 * augmentation, the dataset's normalisation, batches padded to the program's
 * static size and the padded rows dropped.
 */
export async function computeGradCam(executable: Executable, set: ImageSet, normalization: Normalization, indices: ArrayLike<number>, targets: ArrayLike<number>, head: LinearHead): Promise<GradCamMaps> {
  const input = executable.program.inputs.find((i) => i.name === 'x');
  const cam = executable.program.outputs.find((o) => o.name === 'cam');
  if (!input || !cam) throw new Error(`program '${executable.program.name}' is not a Grad-CAM program: it needs input 'x' and output 'cam' (buildGradCamProgram)`);
  if (targets.length !== indices.length) throw new RangeError(`Grad-CAM: ${targets.length} target classes for ${indices.length} images`);
  const [batch, channels, height, width] = input.shape as [number, number, number, number];
  const [, camHeight, camWidth] = executable.program.graph.node(cam.node).shape as [number, number, number];
  const weightShape = executable.program.inputs.find((i) => i.name === 'headWeight')!.shape;
  if (weightShape[0] !== head.classes || weightShape[1] !== head.dim) throw new Error(`Grad-CAM: the program takes a head of [${weightShape.join(', ')}], the probe's is [${head.classes}, ${head.dim}]`);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= head.classes) throw new RangeError(`Grad-CAM: target class ${t} of image ${indices[i]} is not a class of the head (0 .. ${head.classes - 1})`);
  }
  const augmenter = new Augmenter(set, evalAugmentation(normalization, { size: [height, width] }));
  const plane = camHeight * camWidth;
  const cams = new Float32Array(indices.length * plane);
  const predictions = new Int32Array(indices.length);
  const weight = hostTensor('float32', [head.classes, head.dim], head.weight);
  const bias = hostTensor('float32', [head.classes], head.bias);
  const feeds = (b: Batch): Feeds => ({
    x: hostTensor('float32', [batch, channels, height, width], augmenter.augment(Array.from(b.indices, (p) => indices[p]!), { seed: 0, epoch: 0 })[0]!),
    target: hostTensor('int32', [batch], Array.from(b.indices, (p) => targets[p]!)),
    headWeight: weight,
    headBias: bias,
  });
  await forEachBatch(executable, indices.length, batch, feeds, ['cam', 'logits'], (out, b, first) => {
    cams.set(out['cam']!.data.subarray(0, b.real * plane), first * plane);
    const logits = out['logits']!.data;
    for (let k = 0; k < b.real; k++) {
      let best = 0;
      for (let c = 1; c < head.classes; c++) if (logits[k * head.classes + c]! > logits[k * head.classes + best]!) best = c;
      predictions[first + k] = best;
    }
  });
  return { cams, count: indices.length, height: camHeight, width: camWidth, predictions };
}

import { BatchNorm } from './batch-norm.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { Sequential } from './sequential.js';
import { ReLU } from './activation.js';

/**
 * SimSiam's projector: `layers` Linear(no bias)-BN-ReLU blocks, the last
 * without ReLU and with a non-affine BN (the official code's choice). The paper
 * uses 2 layers of 2048 on CIFAR.
 */
export function projectionMlp(inDim: number, hiddenDim: number, outDim: number, layers = 2): Sequential {
  const modules: Module[] = [];
  let d = inDim;
  for (let i = 0; i < layers - 1; i++) {
    modules.push(new Linear(d, hiddenDim, false), new BatchNorm(hiddenDim), new ReLU());
    d = hiddenDim;
  }
  modules.push(new Linear(d, outDim, false), new BatchNorm(outDim, { affine: false }));
  return new Sequential(...modules);
}

/** SimSiam's predictor: Linear(no bias)-BN-ReLU to the bottleneck, then Linear back (512 on CIFAR). */
export function predictionMlp(dim: number, hiddenDim: number): Sequential {
  return new Sequential(new Linear(dim, hiddenDim, false), new BatchNorm(hiddenDim), new ReLU(), new Linear(hiddenDim, dim));
}

#!/usr/bin/env node
// Does a short SSL run on the embedded Fashion-MNIST lift kNN and linear-probe
// accuracy above a random-init encoder of the same architecture? (Issue 6's
// check; not a test: it takes minutes.) Build first (npm run build), then:
//   node tools/studies/ssl-lift.mjs [method=simsiam] [epochs=5] [width=16] [projectorDim=256]
// Pre-trains on all 10k embedded train images with the method's CIFAR
// augmentations, then probes the trained and a random-init encoder the same
// way: kNN (k 20, 2000 test images) and the cached-feature linear probe (30 epochs).
import { OnnxDriver } from '@ltssl/driver-onnx';
import { createMethod, loadDataset, simsiam, pretrain, simsiamAugmentation, sampleBalanced, buildFeatureProgram, extractFeatures, knnAccuracy, linearProbeCached, } from '@ltssl/experiments';
const [methodName, epochs, width, projDim] = [process.argv[2] ?? 'simsiam', Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 16), Number(process.argv[5] ?? 256)];
const data = await loadDataset('fashion-mnist');
const driver = new OnnxDriver();
await driver.init();
const encoder = { arch: 'small-cnn', width, inChannels: 1 };
const method = methodName === 'simsiam' ? simsiam({ projectorDim: projDim, predictorDim: projDim / 4 }) : createMethod(methodName, methodName === 'supervised' ? {} : { projectorDim: projDim });
const batch = 256;
const indices = Int32Array.from({ length: data.train.count }, (_, i) => i);
const queries = sampleBalanced(data.test, 100, 0);
const t0 = Date.now();
const result = await pretrain(driver, {
  method, encoder, set: data.train, indices, normalization: data.normalization,
  augmentation: simsiamAugmentation(data.normalization), epochs, batch, lr: method.defaults.baseLr * batch / 256,
  momentum: 0.9, weightDecay: 5e-4, seed: 0,
  knn: { every: 1, bank: { set: data.train, indices }, queries: { set: data.test, indices: queries.indices }, k: 20, temperature: 0.07 },
}, { onEpoch: (m) => console.log(JSON.stringify(m)) });
console.log('pretrain s', (Date.now() - t0) / 1000);
async function probe(shareState) {
  const f = await driver.compile(buildFeatureProgram(encoder, 256, 28, 28), shareState ? { shareState } : {});
  const tr = await extractFeatures(f, data.train, data.normalization);
  const te = await extractFeatures(f, data.test, data.normalization);
  f.dispose();
  const knn = await knnAccuracy(driver, tr, { ...te, values: te.values.subarray(0, 2000 * te.dim), count: 2000, labels: te.labels.subarray(0, 2000) }, { k: 20, temperature: 0.07, classes: 10 });
  const lin = await linearProbeCached(driver, tr, te, { classes: 10, epochs: 30, seed: 0 });
  return { knn, linear: lin.top1 };
}
const t1 = Date.now();
console.log('trained', JSON.stringify(await probe(result.executable)), (Date.now() - t1) / 1000);
console.log('random ', JSON.stringify(await probe(undefined)));

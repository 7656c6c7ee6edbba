import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { bindModel, compareTensors, CounterRng, hostTensor, minimize, RNG_STREAMS, Sgd, SmallCnn, Tracer, type Program } from '@ltssl/core';
import { exportInferenceModel } from './export-model.js';
import { OnnxDriver } from './onnx-driver.js';

const encoder = new SmallCnn({ inChannels: 1, width: 4 });

function program(training: boolean): Program {
  const tracer = new Tracer(training ? 'train' : 'features');
  const x = tracer.input('x', 'float32', [4, 1, 8, 8]);
  const vars = bindModel(tracer, encoder, { seed: 11 });
  const features = encoder.apply(vars, x, { training }); // [4, 16]
  if (training) minimize(tracer, features.square().mean(), [vars], new Sgd({ momentum: 0.9 }), tracer.input('lr', 'float32', []));
  tracer.output('features', features);
  return tracer.build();
}

describe('exportInferenceModel', () => {
  it("writes the encoder as a standalone model whose output matches the driver's features", async () => {
    const driver = new OnnxDriver();
    await driver.init();
    const trainer = await driver.compile(program(true));
    const featurizer = await driver.compile(program(false), { shareState: trainer });
    const data = new Float32Array(4 * 64);
    new CounterRng(1, RNG_STREAMS.data, 0).fillNormal(data);
    const x = hostTensor('float32', [4, 1, 8, 8], data);
    // Train a step first, so the exported weights and BN statistics are not the initial ones.
    await trainer.run({ x, lr: hostTensor('float32', [], [0.1]) });
    const expected = (await featurizer.run({ x })).features!;

    const bytes = await exportInferenceModel(featurizer.program, featurizer);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['input:x']);
    expect(session.outputNames).toEqual(['output:features']);
    const result = await session.run({ 'input:x': new ort.Tensor('float32', data, [4, 1, 8, 8]) });
    const got = result['output:features']!;
    expect(compareTensors({ dtype: 'float32', shape: got.dims, data: got.data as Float32Array }, expected, { rtol: 1e-6, atol: 1e-6 })).toBeUndefined();
    await session.release();
  });
});

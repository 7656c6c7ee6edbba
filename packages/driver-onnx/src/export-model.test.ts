import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { bindModel, compareTensors, CounterRng, hasErrorCode, hostTensor, minimize, ResNet18, RNG_STREAMS, Sgd, SmallCnn, Tracer, type Module, type Program, type Tensor } from '@ltssl/core';
import { exportInferenceModel } from './export-model.js';
import { OnnxDriver } from './onnx-driver.js';

const driver = new OnnxDriver();
await driver.init();

function normal(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  new CounterRng(seed, RNG_STREAMS.data, 0).fillNormal(data);
  return data;
}

/** An encoder's eval pass (or a training step of it) traced at `batch`, input 'images', output 'features'. */
function encoderProgram(encoder: Module, batch: number, channels: number, size: number, training = false, tail?: (t: Tensor) => Tensor): Program {
  const tracer = new Tracer(training ? 'train' : 'features');
  const x = tracer.input('images', 'float32', [batch, channels, size, size]);
  const vars = bindModel(tracer, encoder, { seed: 11 });
  const features = encoder.apply(vars, x, { training }); // [B, D]
  if (training) minimize(tracer, features.square().mean(), [vars], new Sgd({ momentum: 0.9 }), tracer.input('lr', 'float32', []));
  tracer.output('features', tail ? tail(features) : features);
  return tracer.build();
}

async function runExported(bytes: Uint8Array, images: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run({ images: new ort.Tensor('float32', images, dims) })).features!;
  } finally {
    await session.release();
  }
}

/**
 * Exports `build` traced at batch 2 and checks the one model at batch 1 and 7
 * against the driver running the same program traced at that batch, from the
 * same trained state.
 */
async function checkBatches(build: (batch: number, training?: boolean) => Program, input: [channels: number, size: number]): Promise<void> {
  const [channels, size] = input;
  const trainer = await driver.compile(build(2, true));
  await trainer.run({ images: hostTensor('float32', [2, channels, size, size], normal(2 * channels * size * size, 1)), lr: hostTensor('float32', [], [0.1]) });
  // Trained a step, so the exported weights and BatchNorm statistics are not the initial ones.
  const exported = await driver.compile(build(2), { shareState: trainer });
  const bytes = await exportInferenceModel(exported.program, exported);
  for (const batch of [1, 7]) {
    const images = normal(batch * channels * size * size, 2 + batch);
    const got = await runExported(bytes, images, [batch, channels, size, size]);
    const featurizer = await driver.compile(build(batch), { shareState: trainer });
    const expected = (await featurizer.run({ images: hostTensor('float32', [batch, channels, size, size], images) })).features!;
    featurizer.dispose();
    expect(got.dims).toEqual(expected.shape);
    expect(compareTensors({ dtype: 'float32', shape: got.dims, data: got.data as Float32Array }, expected, { rtol: 1e-5, atol: 1e-5 }), `batch ${batch}`).toBeUndefined();
  }
  exported.dispose();
  trainer.dispose();
}

describe('exportInferenceModel', () => {
  it("names the input 'images' and the output 'features', both with a symbolic batch dimension", async () => {
    const encoder = new SmallCnn({ inChannels: 1, width: 4 });
    const featurizer = await driver.compile(encoderProgram(encoder, 2, 1, 8));
    const model = onnxProto.onnx.ModelProto.decode(await exportInferenceModel(featurizer.program, featurizer));
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(model.graph!.input!.map((i) => [i.name, dims(i)])).toEqual([['images', ['batch', 1, 8, 8]]]);
    expect(model.graph!.output!.map((o) => [o.name, dims(o)])).toEqual([['features', ['batch', 16]]]);
    featurizer.dispose();
  });

  it('runs the small CNN at batch 1 and 7 as the driver does', async () => {
    const encoder = new SmallCnn({ inChannels: 1, width: 4 });
    await checkBatches((batch, training) => encoderProgram(encoder, batch, 1, 8, training), [1, 8]);
  }, 60_000);

  it('runs ResNet-18 (CIFAR stem) at batch 1 and 7 as the driver does', async () => {
    const encoder = new ResNet18({ inChannels: 3, width: 4 });
    await checkBatches((batch, training) => encoderProgram(encoder, batch, 3, 8, training), [3, 8]);
  }, 120_000);

  it('writes reshape, broadcastTo and slice targets without the traced batch', async () => {
    const encoder = new SmallCnn({ inChannels: 1, width: 2 });
    // features [B, 8] -> [B, 8, 1] -> [B, 8, 3] -> the last two columns [B, 8, 2] -> [B, 16]
    const tail = (f: Tensor): Tensor => {
      const [b, d] = f.shape as [number, number];
      return f.reshape([b, d, 1]).broadcastTo([b, d, 3]).slice([0, 0, 1], [b, d, 2]).reshape([b, d * 2]);
    };
    await checkBatches((batch, training) => encoderProgram(encoder, batch, 1, 8, training, training ? undefined : tail), [1, 8]);
  }, 60_000);

  it('refuses a program whose result depends on the batch size, naming the node', async () => {
    const encoder = new SmallCnn({ inChannels: 1, width: 2 });
    const pooled = await driver.compile(encoderProgram(encoder, 2, 1, 8, false, (f) => f.sum([0])));
    const error = await exportInferenceModel(pooled.program, pooled).catch((e: unknown) => e as Error);
    expect(hasErrorCode(error, 'LTSSL_PROGRAM_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/reduceSum#\d+ .*: it reduces over the batch axis 0; the encoder can only be exported with a static batch/);
    // With a static batch the same program exports.
    await expect(exportInferenceModel(pooled.program, pooled, { batchDim: null })).resolves.toBeInstanceOf(Uint8Array);
    pooled.dispose();
    const single = await driver.compile(encoderProgram(encoder, 1, 1, 8));
    await expect(exportInferenceModel(single.program, single)).rejects.toThrow(/traced at batch 1; trace it at a batch of 2 or more/);
    single.dispose();
  });
});

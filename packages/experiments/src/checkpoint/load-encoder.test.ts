import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterRng, ERROR_CODES, hasErrorCode, hashName, hostTensor, RNG_STREAMS, type HostTensor, type StateDict } from '@ltssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, type EncoderSpec } from '../models/encoder.js';
import { saveCheckpoint } from './checkpoint.js';
import { loadEncoder } from './load-encoder.js';

function randomTensor(name: string, dtype: HostTensor['dtype'], shape: readonly number[]): HostTensor {
  const rng = new CounterRng(11, RNG_STREAMS.data, hashName(name));
  const t = hostTensor(dtype, shape);
  if (t.data instanceof Int32Array) t.data.forEach((_, i) => (t.data[i] = 1 + rng.int(i, 1000)));
  else rng.fillNormal(t.data);
  return t;
}

/** A torchvision-named state_dict of `spec`'s encoder (bare names), random values. */
function stateDict(spec: EncoderSpec): StateDict {
  return Object.fromEntries(createEncoder(spec).specs().map((s) => [s.fullName, randomTensor(s.fullName, s.dtype, s.shape)]));
}

const prefixed = (prefix: string, state: StateDict): StateDict => Object.fromEntries(Object.entries(state).map(([n, t]) => [prefix + n, t]));

/**
 * Writes what torch.save-then-convert would: int tensors as I64 (PyTorch's
 * num_batches_tracked is int64), float32 as F32, float64 as F64.
 */
async function writePyTorchStyle(file: string, state: StateDict): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(state)) {
    const size = t.dtype === 'float32' ? 4 : 8;
    const bytes = new Uint8Array(t.data.length * size);
    const view = new DataView(bytes.buffer);
    t.data.forEach((v, i) => (t.dtype === 'int32' ? view.setBigInt64(8 * i, BigInt(v), true) : t.dtype === 'float64' ? view.setFloat64(8 * i, v, true) : view.setFloat32(4 * i, v, true)));
    header[name] = { dtype: { float32: 'F32', float64: 'F64', int32: 'I64' }[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    parts.push(bytes);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(json.length), true);
  await writeFile(file, Buffer.concat([length, json, ...parts]));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid), String(error)).toBe(true);
  return error as Error;
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-load-encoder-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

const resnet: EncoderSpec = { arch: 'resnet18', width: 2, inChannels: 3 };
const cnn: EncoderSpec = { arch: 'small-cnn', width: 3, inChannels: 1 };

describe('loadEncoder from an ltssl checkpoint', () => {
  it('returns the encoder slots only, with the spec and normalisation of its metadata', async () => {
    const file = join(dir, 'epoch-0003.safetensors');
    const encoder = prefixed('encoder.', stateDict(resnet));
    const state = { ...encoder, 'projector.0.weight': randomTensor('p', 'float32', [4, 16]), 'optimizer.encoder.conv1.weight.momentum_buffer': randomTensor('m', 'float32', [2, 3, 3, 3]) };
    const normalization = { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] };
    await saveCheckpoint(file, { state, metadata: { method: 'supervised', epoch: 3, seed: 0, encoder: resnet, normalization, dataset: 'cifar10', configHash: 'h' } });
    const loaded = await loadEncoder(file);
    expect(loaded.spec).toEqual(resnet);
    expect(loaded.normalization).toEqual(normalization);
    expect(loaded.source).toBe('ltssl-checkpoint');
    expect(loaded.metadata?.epoch).toBe(3);
    expect(loaded.state).toEqual(encoder);
    expect(Object.keys(loaded.state)).toEqual(Object.keys(encoder));
  });
});

describe('loadEncoder from a PyTorch state_dict', () => {
  it.each([
    ['bare names', ''],
    ["'module.' (DataParallel)", 'module.'],
    ["'backbone.' (solo-learn)", 'backbone.'],
    ["'encoder.'", 'encoder.'],
    ["'module.encoder.' (SimSiam)", 'module.encoder.'],
  ])('infers ResNet-18 with %s, reading int64 num_batches_tracked as int32 and ignoring the fc head', async (_, prefix) => {
    const file = join(dir, 'resnet.safetensors');
    const bare = stateDict(resnet);
    await writePyTorchStyle(file, prefixed(prefix, { ...bare, 'fc.weight': randomTensor('fc', 'float32', [10, 16]), 'fc.bias': randomTensor('fcb', 'float32', [10]) }));
    const loaded = await loadEncoder(file);
    expect(loaded).toMatchObject({ spec: resnet, source: 'pytorch-state-dict', prefix });
    expect(loaded.normalization).toBeUndefined();
    expect(loaded.state).toEqual(prefixed('encoder.', bare));
    expect(loaded.state['encoder.layer2.0.downsample.1.num_batches_tracked']!.dtype).toBe('int32');
  });

  it("takes MoCo's query encoder and ignores its key encoder, queue and SimSiam-style heads outside the prefix", async () => {
    const file = join(dir, 'moco.safetensors');
    const query = stateDict(cnn);
    await writePyTorchStyle(file, {
      ...prefixed('module.encoder_q.', query),
      ...prefixed('module.encoder_k.', stateDict(cnn)),
      'module.queue': randomTensor('q', 'float32', [12, 8]),
      'module.predictor.0.weight': randomTensor('pr', 'float32', [4, 12]),
    });
    const loaded = await loadEncoder(file);
    expect(loaded).toMatchObject({ spec: cnn, prefix: 'module.encoder_q.' });
    expect(loaded.state).toEqual(prefixed('encoder.', query));
  });

  it('infers the small CNN and reads float64 weights as float32', async () => {
    const file = join(dir, 'cnn64.safetensors');
    const bare = stateDict(cnn);
    const doubled = Object.fromEntries(Object.entries(bare).map(([n, t]) => [n, t.dtype === 'float32' ? hostTensor('float64', t.shape, t.data) : t]));
    await writePyTorchStyle(file, doubled);
    const loaded = await loadEncoder(file);
    expect(loaded.spec).toEqual(cnn);
    expect(loaded.state).toEqual(prefixed('encoder.', bare));
  });

  async function failure(state: StateDict): Promise<string> {
    const file = join(dir, 'bad.safetensors');
    await writePyTorchStyle(file, state);
    return (await rejection(loadEncoder(file))).message;
  }

  it('names missing, unexpected and mis-shaped tensors, all at once', async () => {
    const state = stateDict(resnet);
    delete state['layer3.1.bn2.running_mean'];
    delete state['layer1.0.bn1.num_batches_tracked'];
    state['layer2.0.conv1.weight'] = hostTensor('float32', [4, 2, 1, 3]);
    state['layer4.1.se.weight'] = hostTensor('float32', [1]);
    const message = await failure(state);
    expect(message).toMatch(/bad\.safetensors: the tensors are not a resnet18 \(width 2, 3 input channels\)/);
    expect(message).toContain("missing 'layer1.0.bn1.num_batches_tracked', 'layer3.1.bn2.running_mean'");
    expect(message).toContain("unexpected 'layer4.1.se.weight'");
    expect(message).toContain("'layer2.0.conv1.weight': expected shape [4,2,3,3], got [4,2,1,3]");
  });

  it("explains torchvision's ImageNet stem, Bottleneck blocks and deeper ResNets", async () => {
    const imagenet = stateDict({ arch: 'resnet18', width: 2, inChannels: 3 });
    imagenet['conv1.weight'] = hostTensor('float32', [2, 3, 7, 7]);
    expect(await failure(imagenet)).toMatch(/tensor 'conv1\.weight': conv1\.weight is 7x7: torchvision's ImageNet stem; ltssl's ResNet-18 uses the CIFAR stem/);
    expect(await failure({ ...stateDict(resnet), 'layer1.0.conv3.weight': hostTensor('float32', [8, 2, 1, 1]) })).toMatch(/Bottleneck blocks \(ResNet-50 or deeper\)/);
    expect(await failure({ ...stateDict(resnet), 'layer1.2.conv1.weight': hostTensor('float32', [2, 2, 3, 3]) })).toMatch(/more than two blocks a stage \(ResNet-34 or deeper\)/);
  });

  it('says what it looked for when the file holds no encoder it knows', async () => {
    expect(await failure({ 'weight': hostTensor('float32', [2]) })).toMatch(/no 'conv1\.weight', bare or under a 'module\.', 'encoder\.', 'backbone\.' or 'encoder_q\.' prefix, among its 1 tensors \('weight'\)/);
    expect(await failure({ 'conv1.weight': hostTensor('float32', [2, 3]) })).toMatch(/tensor 'conv1\.weight': expected a convolution weight \[out, in, kh, kw\], got shape \[2,3\]/);
    const neither = { ...stateDict(cnn), 'layer1.0.conv1.weight': hostTensor('float32', [1]) };
    expect(await failure(neither)).toMatch(/cannot tell the encoder from its tensors .*ResNet-18 has 'layer4\.1\.conv2\.weight', the small CNN has conv1\.\.conv3 and bn1\.\.bn3 only/);
    expect(await failure({ ...prefixed('encoder.', stateDict(cnn)), ...prefixed('backbone.', stateDict(cnn)) })).toMatch(/holds several encoders \('encoder\.conv1\.weight', 'backbone\.conv1\.weight'\)/);
  });

  it('reports an int64 num_batches_tracked past int32 with the tensor name', async () => {
    const file = join(dir, 'big-count.safetensors');
    await writePyTorchStyle(file, stateDict(cnn));
    const bytes = await readFile(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { data_offsets: [number, number] }>;
    bytes.writeBigInt64LE(2n ** 40n, 8 + headerLength + header['bn2.num_batches_tracked']!.data_offsets[0]);
    await writeFile(file, bytes);
    expect((await rejection(loadEncoder(file))).message).toMatch(/tensor 'bn2\.num_batches_tracked': element 0 is 1099511627776, outside int32's range/);
  });
});

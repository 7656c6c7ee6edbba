import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterRng, ERROR_CODES, hasErrorCode, hashName, hostTensor, RNG_STREAMS, type HostTensor, type StateDict } from '@ltssl/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { checkpointFileName, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_METADATA_KEYS, type CheckpointRunInfo } from './checkpoint-metadata.js';
import { latestCheckpoint } from './latest-checkpoint.js';
import { readSafetensors, readSafetensorsHeader } from './read-safetensors.js';
import { checkpointContentHash, CONTENT_HASH_KEY } from './checkpoint-hash.js';
import { writeSafetensors } from './write-safetensors.js';
import { directoryCheckpointStore } from '../train/directory-checkpoint-store.js';

const spec: EncoderSpec = { arch: 'small-cnn', width: 2, inChannels: 1 };
const packageVersion = (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function randomTensor(name: string, dtype: HostTensor['dtype'], shape: readonly number[], seed: number): HostTensor {
  const rng = new CounterRng(seed, RNG_STREAMS.data, hashName(name));
  const t = hostTensor(dtype, shape);
  if (t.data instanceof Int32Array) t.data.forEach((_, i) => (t.data[i] = rng.int(i, 1000)));
  else rng.fillNormal(t.data);
  return t;
}

/** A training run's state: the encoder's slots, a head, and optimizer buffers, all random. */
function runState(encoder: EncoderSpec, seed = 1): StateDict {
  const state: StateDict = {};
  for (const s of createEncoder(encoder).specs()) state[ENCODER_PREFIX + s.fullName] = randomTensor(s.fullName, s.dtype, s.shape, seed);
  state['projector.0.weight'] = randomTensor('projector.0.weight', 'float32', [3, 8], seed);
  state['optimizer.encoder.conv1.weight.momentum_buffer'] = randomTensor('m', 'float32', [2, 1, 3, 3], seed);
  state['optimizer.step'] = hostTensor('int32', [], [40]);
  return state;
}

const info = (epoch: number, overrides: Partial<Record<keyof CheckpointRunInfo, unknown>> = {}): CheckpointRunInfo =>
  ({
    method: 'simsiam',
    epoch,
    seed: 3,
    encoder: spec,
    normalization: { mean: [0.286], std: [0.353] },
    dataset: 'fashion-mnist',
    configHash: 'sha256:0f3a',
    ...overrides,
  }) as CheckpointRunInfo;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return error as Error;
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-checkpoint-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function scratch(name: string): Promise<string> {
  const sub = join(dir, name);
  await rm(sub, { recursive: true, force: true });
  await mkdir(sub);
  return sub;
}

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trip every slot exactly and the metadata, with the format and ltssl versions added', async () => {
    const file = join(await scratch('round-trip'), checkpointFileName(5));
    expect(file.endsWith('epoch-0005.safetensors')).toBe(true);
    const state = runState({ arch: 'resnet18', width: 2, inChannels: 3 });
    const run = info(5, { encoder: { arch: 'resnet18', width: 2, inChannels: 3 }, normalization: { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] } });
    const written = await saveCheckpoint(file, { state, metadata: run });
    expect(written).toEqual({ ...run, formatVersion: CHECKPOINT_FORMAT_VERSION, ltsslVersion: packageVersion });
    const loaded = await loadCheckpoint(file);
    expect(loaded.metadata).toEqual(written);
    expect(Object.keys(loaded.state)).toEqual(Object.keys(state));
    for (const [name, t] of Object.entries(state)) expect(loaded.state[name], name).toEqual(t);
  });

  it('stores the metadata as JSON strings in __metadata__, one key a field, and only the declared fields', async () => {
    const file = join(await scratch('layout'), checkpointFileName(2));
    const extra = { encoder: { ...spec, note: 'dropped' }, normalization: { mean: [0.286], std: [0.353], computedFrom: 'dropped' } };
    await saveCheckpoint(file, { state: runState(spec), metadata: info(2, extra) });
    const { metadata } = await readSafetensorsHeader(file);
    expect(metadata[CONTENT_HASH_KEY]).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata).toEqual({
      [CONTENT_HASH_KEY]: metadata[CONTENT_HASH_KEY],
      'ltssl.format_version': '2',
      'ltssl.version': JSON.stringify(packageVersion),
      'ltssl.method': '"simsiam"',
      'ltssl.epoch': '2',
      'ltssl.seed': '3',
      'ltssl.encoder': '{"arch":"small-cnn","width":2,"inChannels":1}',
      'ltssl.normalization': '{"mean":[0.286],"std":[0.353]}',
      'ltssl.dataset': '"fashion-mnist"',
      'ltssl.config_hash': '"sha256:0f3a"',
    });
  });

  it.each([
    ['method', 'no-such-method', /'ltssl\.method': expected one of supervised, simsiam/],
    ['epoch', -1, /'ltssl\.epoch': expected a non-negative integer/],
    ['seed', 1.5, /'ltssl\.seed': expected a non-negative integer/],
    ['encoder', { arch: 'vgg', width: 2, inChannels: 1 }, /'ltssl\.encoder': arch must be one of small-cnn, resnet18, got "vgg"/],
    ['encoder', { arch: 'resnet18', width: 0, inChannels: 1 }, /'ltssl\.encoder': width must be a positive integer/],
    ['normalization', { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] }, /'ltssl\.normalization': holds 3 channels, but the encoder takes 1/],
    ['normalization', { mean: [0.5], std: [0] }, /'ltssl\.normalization': std must be positive/],
    ['normalization', { mean: [NaN], std: [1] }, /'ltssl\.normalization': expected \{mean, std\}/],
    ['dataset', '', /'ltssl\.dataset': expected a non-empty string/],
    ['configHash', 42, /'ltssl\.config_hash': expected a non-empty string, got 42/],
  ] as const)('refuses to save a bad %s (%j), naming the key, and writes nothing', async (field, value, message) => {
    const sub = await scratch('bad-metadata');
    const file = join(sub, checkpointFileName(1));
    const error = await rejection(saveCheckpoint(file, { state: runState(spec), metadata: info(1, { [field]: value }) }));
    expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write: checkpoint metadata `));
    expect(error.message).toMatch(message);
    expect(await readdir(sub)).toEqual([]);
  });

  it('refuses to save an encoder that does not match its spec, naming every difference', async () => {
    const sub = await scratch('bad-encoder');
    const file = join(sub, checkpointFileName(1));
    const state = runState(spec);
    delete state['encoder.bn2.running_var'];
    state['encoder.conv3.weight'] = hostTensor('float32', [8, 4, 1, 1]);
    state['encoder.conv4.weight'] = hostTensor('float32', [1]);
    state['encoder.bn1.num_batches_tracked'] = hostTensor('float32', []);
    const error = await rejection(saveCheckpoint(file, { state, metadata: info(1) }));
    expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid)).toBe(true);
    expect(error.message).toContain('the tensors are not a small-cnn (width 2, 1 input channel)');
    expect(error.message).toContain("missing 'bn2.running_var'");
    expect(error.message).toContain("unexpected 'conv4.weight'");
    expect(error.message).toContain("'conv3.weight': expected shape [8,4,3,3], got [8,4,1,1]");
    expect(error.message).toContain("'bn1.num_batches_tracked': expected dtype int32, got float32");
    expect(await readdir(sub)).toEqual([]);
  });

  it('never leaves a partial file under the final name when the disk fills half way; an existing checkpoint survives', async () => {
    const sub = await scratch('disk-full');
    const file = join(sub, checkpointFileName(3));
    const probe = await open(join(sub, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    await rm(join(sub, 'probe'));
    const realWrite = fileHandle.write;
    let writes = 0;
    // The header and a few tensors reach the temporary file, then the device is full.
    vi.spyOn(fileHandle, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++writes > 4) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return realWrite.apply(this, args);
    });

    const fresh = await rejection(saveCheckpoint(file, { state: runState(spec, 1), metadata: info(3) }));
    expect(fresh.message).toMatch(/epoch-0003\.safetensors: cannot write .*\.tmp: no space left on the device/);
    expect(writes).toBeGreaterThan(4); // the failure came after data was written, not before
    expect(await readdir(sub)).toEqual([]);

    vi.restoreAllMocks();
    await saveCheckpoint(file, { state: runState(spec, 1), metadata: info(3) });
    const before = await readFile(file);
    writes = 0;
    vi.spyOn(fileHandle, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++writes > 4) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return realWrite.apply(this, args);
    });
    await rejection(saveCheckpoint(file, { state: runState(spec, 2), metadata: info(3) }));
    vi.restoreAllMocks();
    expect(await readdir(sub)).toEqual(['epoch-0003.safetensors']);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect((await loadCheckpoint(file)).state['encoder.conv1.weight']).toEqual(runState(spec, 1)['encoder.conv1.weight']);
  });

  describe('refuses to load', () => {
    async function fileWith(name: string, metadata: Record<string, string>, state: StateDict = runState(spec)): Promise<string> {
      // The content hash is made for what is written, so each case tests its own refusal, not the hash.
      const file = join(dir, name);
      const fields = { ...metadata };
      if (CONTENT_HASH_KEY in fields) fields[CONTENT_HASH_KEY] = checkpointContentHash(state, fields);
      await writeSafetensors(file, state, fields);
      return file;
    }
    /** The metadata of a checkpoint saveCheckpoint wrote, to tamper with. */
    async function good(): Promise<Record<string, string>> {
      const file = join(await scratch('good'), 'good.safetensors');
      await saveCheckpoint(file, { state: runState(spec), metadata: info(1) });
      return { ...(await readSafetensorsHeader(file)).metadata };
    }

    it('a file ltssl did not write, pointing to loadEncoder', async () => {
      const error = await rejection(loadCheckpoint(await fileWith('plain.safetensors', { format: 'pt' })));
      expect(error.message).toMatch(/plain\.safetensors: not an ltssl checkpoint: its metadata has no 'ltssl\.format_version' \(a PyTorch state_dict can be read with loadEncoder\)/);
    });

    it('a newer checkpoint format, saying to upgrade', async () => {
      const error = await rejection(loadCheckpoint(await fileWith('future.safetensors', { ...(await good()), 'ltssl.format_version': '3', 'ltssl.version': '"9.0.0"' })));
      expect(error.message).toMatch(/future\.safetensors: written in checkpoint format 3 by ltssl 9\.0\.0; this ltssl reads format 2 and older: upgrade ltssl/);
    });

    it('missing, non-JSON and ill-typed metadata, naming each key', async () => {
      const metadata: Record<string, string> = { ...(await good()), 'ltssl.epoch': 'five', 'ltssl.seed': '"3"' };
      delete metadata[CHECKPOINT_METADATA_KEYS.dataset];
      const first = await rejection(loadCheckpoint(await fileWith('meta.safetensors', metadata)));
      expect(hasErrorCode(first, ERROR_CODES.checkpointInvalid)).toBe(true);
      expect(first.message).toMatch(/meta\.safetensors: cannot read: checkpoint metadata 'ltssl\.epoch' is not valid JSON: "five"; 'ltssl\.dataset' is missing/);
      metadata['ltssl.epoch'] = '5';
      metadata['ltssl.dataset'] = '"cifar10"';
      const second = await rejection(loadCheckpoint(await fileWith('meta.safetensors', metadata)));
      expect(second.message).toMatch(/cannot read: checkpoint metadata 'ltssl\.seed': expected a non-negative integer below 2\^53, got "3"/);
    });

    it('a flipped byte anywhere, naming the file: tensor data, a metadata value', async () => {
      const file = join(await scratch('flipped'), 'epoch-0001.safetensors');
      await saveCheckpoint(file, { state: runState(spec), metadata: info(1) });
      const bytes = await readFile(file);
      const flipped = Buffer.from(bytes);
      flipped[flipped.length - 3]! ^= 0x10; // in the last tensor's data
      await writeFile(file, flipped);
      const data = await rejection(loadCheckpoint(file));
      expect(data.message).toBe(`${file}: its content does not match its 'ltssl.content_hash': bytes were changed after it was written (a damaged disk or an edit)`);
      const seed = Buffer.from(bytes.toString('latin1').replace('"ltssl.seed":"3"', '"ltssl.seed":"4"'), 'latin1');
      await writeFile(file, seed);
      expect((await rejection(loadCheckpoint(file))).message).toMatch(/its content does not match its 'ltssl\.content_hash'/);
    });

    it('a NaN in a tensor even under a matching hash', async () => {
      const state = runState(spec);
      state['encoder.conv1.weight']!.data[2] = Number.NaN;
      const error = await rejection(loadCheckpoint(await fileWith('nan.safetensors', await good(), state)));
      expect(error.message).toMatch(/nan\.safetensors: tensor 'encoder\.conv1\.weight': element 2 is NaN: a saved state is always finite, so the file is damaged/);
    });

    it("a damaged '__metadata__' key, saying so rather than reading it as a tensor", async () => {
      const file = join(await scratch('header'), 'epoch-0001.safetensors');
      await saveCheckpoint(file, { state: runState(spec), metadata: info(1) });
      await writeFile(file, Buffer.from((await readFile(file)).toString('latin1').replace('__metadata__', '__metadataX_'), 'latin1'));
      const error = await rejection(loadCheckpoint(file));
      expect(error.message).toBe(`${file}: tensor '__metadataX_': header: an entry that is neither a tensor ({dtype, shape, data_offsets}) nor '__metadata__'; its name looks like a damaged '__metadata__'; the file is damaged`);
    });

    it('an encoder that does not match the spec in the metadata', async () => {
      const state = runState(spec);
      state['encoder.conv2.weight'] = hostTensor('float32', [4, 3, 3, 3]);
      const error = await rejection(loadCheckpoint(await fileWith('mismatch.safetensors', await good(), state)));
      expect(error.message).toMatch(/mismatch\.safetensors: the tensors are not a small-cnn .*'conv2\.weight': expected shape \[4,2,3,3\], got \[4,3,3,3\]/);
    });
  });
});

describe('latestCheckpoint', () => {
  it('is undefined for a missing or empty folder', async () => {
    expect(await latestCheckpoint(join(dir, 'never-made'))).toBeUndefined();
    expect(await latestCheckpoint(await scratch('empty'))).toBeUndefined();
  });

  it('picks the most epochs completed by metadata, ignoring temporary and other files', async () => {
    const sub = await scratch('latest');
    for (const epoch of [1, 9999, 10000, 2]) await saveCheckpoint(join(sub, checkpointFileName(epoch)), { state: runState(spec), metadata: info(epoch) });
    // An interrupted write of epoch 10001: its temporary file holds a valid-looking prefix.
    const partial = (await readFile(join(sub, checkpointFileName(10000)))).subarray(0, 100);
    await writeFile(join(sub, `.${checkpointFileName(10001)}.123-abcd.tmp`), partial);
    await writeFile(join(sub, 'notes.txt'), 'not a checkpoint');
    await writeFile(join(sub, 'pretrained.safetensors'), 'not one of the run\'s checkpoints');
    const latest = await latestCheckpoint(sub);
    expect(latest?.file).toBe(join(sub, 'epoch-10000.safetensors'));
    expect(latest?.metadata.epoch).toBe(10000);
  });

  it('names a damaged checkpoint rather than resume from an older one', async () => {
    const sub = await scratch('damaged');
    await saveCheckpoint(join(sub, checkpointFileName(1)), { state: runState(spec), metadata: info(1) });
    const bytes = await readFile(join(sub, checkpointFileName(1)));
    await writeFile(join(sub, checkpointFileName(2)), bytes.subarray(0, bytes.length - 1));
    const error = await rejection(latestCheckpoint(sub));
    expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid)).toBe(true);
    expect(error.message).toMatch(/epoch-0002\.safetensors: .*the file is truncated/);
  });

  it('refuses two checkpoints of the same epoch, naming both', async () => {
    const sub = await scratch('same-epoch');
    await saveCheckpoint(join(sub, checkpointFileName(4)), { state: runState(spec), metadata: info(4) });
    await saveCheckpoint(join(sub, 'epoch-4.safetensors'), { state: runState(spec), metadata: info(4) });
    const error = await rejection(latestCheckpoint(sub));
    expect(error.message).toMatch(/epoch-4\.safetensors: holds epoch 4, as does .*epoch-0004\.safetensors; remove one/);
  });

  it('reads only headers: the state it finds loads', async () => {
    const sub = await scratch('loads');
    await saveCheckpoint(join(sub, checkpointFileName(7)), { state: runState(spec, 7), metadata: info(7) });
    const latest = await latestCheckpoint(sub);
    const { tensors } = await readSafetensors(latest!.file);
    expect(tensors['projector.0.weight']).toEqual(runState(spec, 7)['projector.0.weight']);
  });
});

describe('directoryCheckpointStore', () => {
  const run = { method: 'simsiam' as const, seed: 3, encoder: spec, normalization: { mean: [0.286], std: [0.353] }, dataset: 'fashion-mnist', configHash: 'sha256:0f3a' };
  const progress = (epochs: number) => ({
    history: Array.from({ length: epochs }, (_, epoch) => ({ epoch, loss: -0.1 * (epoch + 1), monitors: { collapseStd: 0.02 }, seconds: 1.5 })),
    seconds: 3.25 * epochs,
    startedAt: '2026-11-27T10:00:00.000Z',
  });

  it("keeps the run's history and time in each checkpoint, and a resume gets them back", async () => {
    const store = directoryCheckpointStore(await scratch('store-progress'), run);
    await store.save(1, runState(spec, 1), progress(1));
    await store.save(2, runState(spec, 2), progress(2));
    const latest = await store.latest();
    expect(latest?.epochsDone).toBe(2);
    expect(latest?.progress).toEqual(progress(2));
  });

  it('names a damaged newest checkpoint and says to delete it to resume from the one before', async () => {
    const sub = await scratch('store-damaged');
    const store = directoryCheckpointStore(sub, run);
    await store.save(1, runState(spec, 1), progress(1));
    await store.save(2, runState(spec, 2), progress(2));
    const newest = join(sub, checkpointFileName(2));
    const bytes = await readFile(newest);
    bytes[bytes.length - 5]! ^= 0x01;
    await writeFile(newest, bytes);
    const error = await rejection(store.latest());
    expect(error.message).toBe(`${newest}: its content does not match its 'ltssl.content_hash': bytes were changed after it was written (a damaged disk or an edit); delete ${newest} to resume from the checkpoint before it (or from the start when it is the only one)`);
    await rm(newest);
    expect((await store.latest())?.epochsDone).toBe(1);
  });
});

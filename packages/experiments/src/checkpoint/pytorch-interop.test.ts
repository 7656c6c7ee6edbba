import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterRng, hashName, hostTensor, RNG_STREAMS, type HostTensor, type StateDict } from '@ltssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { saveCheckpoint } from './checkpoint.js';
import { loadEncoder } from './load-encoder.js';

/**
 * Debian's python3-torch and python3-torchvision are installed on development
 * machines but not in CI; without them these tests are skipped, and say so.
 */
const PYTHON = '/usr/bin/python3';
const torchAvailable = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 60_000 }).status === 0;

/**
 * Both directions in one Python process (importing torch costs seconds). The
 * safetensors parsing and writing are written out with struct/json/torch.frombuffer,
 * because the `safetensors` pip package is not a dependency: this checks our
 * files against the format itself, not against one library's reading of it.
 */
const SCRIPT = String.raw`
import json, struct, sys
import torch, torchvision

DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'I64': torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}

def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        flat = torch.frombuffer(bytearray(data[8 + n + begin:8 + n + end]), dtype=DTYPES[info['dtype']])
        tensors[name] = flat.reshape(info['shape'])
    return tensors, metadata

def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        blob = t.detach().contiguous().numpy().tobytes()
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))

def cifar_resnet18(classes=None):
    model = torchvision.models.resnet18()
    model.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = torch.nn.Identity()
    model.fc = torch.nn.Identity() if classes is None else torch.nn.Linear(512, classes)
    return model

def summary(state):
    return {name: {'sum': t.double().sum().item(), 'first': t.flatten()[:4].tolist(), 'dtype': str(t.dtype)} for name, t in state.items()}

# (a) an ltssl checkpoint into torchvision, strictly
tensors, metadata = read_safetensors(sys.argv[1])
model = cifar_resnet18()
model.load_state_dict({k[len('encoder.'):]: v for k, v in tensors.items() if k.startswith('encoder.')}, strict=True)
model.eval()
with torch.no_grad():
    features = model(torch.zeros(2, 3, 32, 32))
a = {'encoder': json.loads(metadata['ltssl.encoder']), 'features': list(features.shape), 'state': summary(model.state_dict())}

# (b) a torchvision state_dict (with its 10-class fc, int64 num_batches_tracked) for loadEncoder
torch.manual_seed(0)
source = cifar_resnet18(classes=10)
with torch.no_grad():
    for i, (name, t) in enumerate(source.state_dict().items()):
        if t.dtype == torch.int64:
            t.fill_(1000 + i)
        else:
            t.copy_(torch.randn_like(t))
write_safetensors(sys.argv[2], source.state_dict(), {'format': 'pt'})
print(json.dumps({'a': a, 'b': summary(source.state_dict())}))
`;

interface Summary {
  readonly sum: number;
  readonly first: number[];
  readonly dtype: string;
}
interface PythonResult {
  readonly a: { readonly encoder: EncoderSpec; readonly features: number[]; readonly state: Record<string, Summary> };
  readonly b: Record<string, Summary>;
}

const spec: EncoderSpec = { arch: 'resnet18', width: 64, inChannels: 3 };

/** Random values for every encoder slot of `spec`, named as the training program names them. */
function randomEncoderState(): StateDict {
  const state: StateDict = {};
  for (const s of createEncoder(spec).specs()) {
    const t = hostTensor(s.dtype, s.shape);
    const rng = new CounterRng(5, RNG_STREAMS.data, hashName(s.fullName));
    if (t.data instanceof Int32Array) t.data.fill(1 + rng.int(0, 10_000));
    else rng.fillUniform(t.data, -1, 1);
    state[ENCODER_PREFIX + s.fullName] = t;
  }
  return state;
}

function sum(t: HostTensor): number {
  let s = 0;
  for (const v of t.data) s += v;
  return s;
}

/** Float64 sums of the same float32 values in another order agree to far better than this. */
function expectSameValues(name: string, t: HostTensor, expected: Summary): void {
  expect([...t.data.subarray(0, 4)], name).toEqual(expected.first);
  expect(sum(t), name).toBeCloseTo(expected.sum, 6);
}

describe(`PyTorch interop (requires ${PYTHON} with torch and torchvision${torchAvailable ? '' : ': not found, skipped'})`, () => {
  let dir: string;
  let encoder: StateDict;
  let python: PythonResult;

  beforeAll(async () => {
    if (!torchAvailable) return;
    dir = await mkdtemp(join(tmpdir(), 'ltssl-torch-'));
    encoder = randomEncoderState();
    const state = { ...encoder, 'projector.0.weight': hostTensor('float32', [8, 512]), 'optimizer.encoder.conv1.weight.momentum_buffer': hostTensor('float32', [64, 3, 3, 3]) };
    await saveCheckpoint(join(dir, 'epoch-0001.safetensors'), {
      state,
      metadata: { method: 'simsiam', epoch: 1, seed: 5, encoder: spec, normalization: { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }, dataset: 'cifar10', configHash: 'h' },
    });
    const run = spawnSync(PYTHON, ['-c', SCRIPT, join(dir, 'epoch-0001.safetensors'), join(dir, 'torchvision.safetensors')], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`the Python side failed (status ${run.status}):\n${run.stderr}`);
    python = JSON.parse(run.stdout) as PythonResult;
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!torchAvailable)("an ltssl ResNet-18 checkpoint loads strictly into torchvision's resnet18 with the CIFAR stem, every value in place", () => {
    expect(python.a.encoder).toEqual(spec);
    expect(python.a.features).toEqual([2, 512]);
    const names = Object.keys(python.a.state);
    expect(names).toEqual(Object.keys(encoder).map((n) => n.slice(ENCODER_PREFIX.length)));
    for (const name of names) expectSameValues(name, encoder[ENCODER_PREFIX + name]!, python.a.state[name]!);
    expect(python.a.state['layer3.1.bn2.num_batches_tracked']!.dtype).toBe('torch.int64');
  });

  it.skipIf(!torchAvailable)('a torchvision state_dict written by Python loads with loadEncoder: spec inferred, int64 counts as int32, fc ignored', async () => {
    const loaded = await loadEncoder(join(dir, 'torchvision.safetensors'));
    expect(loaded.spec).toEqual(spec);
    expect(loaded.source).toBe('pytorch-state-dict');
    const expected = Object.entries(python.b).filter(([name]) => !name.startsWith('fc.'));
    expect(Object.keys(loaded.state)).toEqual(expected.map(([name]) => ENCODER_PREFIX + name));
    for (const [name, summary] of expected) expectSameValues(name, loaded.state[ENCODER_PREFIX + name]!, summary);
    const count = loaded.state['encoder.layer4.1.bn2.num_batches_tracked']!;
    expect(count.dtype).toBe('int32');
    expect(python.b['layer4.1.bn2.num_batches_tracked']!.dtype).toBe('torch.int64');
    expect(count.data[0]).toBe(python.b['layer4.1.bn2.num_batches_tracked']!.first[0]);
  });
});

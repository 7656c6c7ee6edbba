import { readFileSync } from 'node:fs';
import { dataFixture, fixturePixel } from '@ltssl/testing';
import { describe, expect, it } from 'vitest';
import { readCifarPython, readCifarPythonNames } from './cifar-python.js';
import { PickledArray, readPickle } from './pickle.js';
import { readTarball } from './tarball.js';

const python = async () => (await readTarball(dataFixture('cifar-10-python.tar.gz'), () => true)).files;

describe('the pickle reader', () => {
  it("reads CIFAR-10's python batches as Python 2 wrote them: the dict, the uint8 array, the label list", async () => {
    const files = await python();
    const batch = readPickle(files.get('cifar-10-batches-py/data_batch_2')!, 'data_batch_2');
    expect(batch).toBeInstanceOf(Map);
    const dict = batch as Map<string, unknown>;
    expect([...dict.keys()]).toEqual(['batch_label', 'labels', 'data', 'filenames']);
    expect(new TextDecoder().decode(dict.get('batch_label') as Uint8Array)).toBe('training batch 2 of 5');
    expect(dict.get('labels')).toEqual([8, 9, 0, 1, 2, 3, 4, 5]);
    const data = dict.get('data') as PickledArray;
    expect(data).toBeInstanceOf(PickledArray);
    expect(data.array).toMatchObject({ kind: 'u1', shape: [8, 3072] });
    // Image 1 of batch 2 is image 9 of the train split, label 9; row-major R, G, B planes.
    expect(data.array!.data[1 * 3072 + 1024 + 5 * 32 + 7]).toBe(fixturePixel(9, 1, 5, 7, 9));
  });

  it('refuses a global other than the three that rebuild arrays, naming it, and runs nothing', () => {
    const evil = readFileSync(dataFixture('hostile', 'os-system.pickle'));
    expect(() => readPickle(evil, 'os-system.pickle')).toThrow(
      /^os-system\.pickle: byte 2: the pickle asks for the global 'posix\.system', and the only globals accepted are numpy\.core\.multiarray\._reconstruct, numpy\._core\.multiarray\._reconstruct, numpy\.ndarray, numpy\.dtype \(to rebuild NumPy arrays\); nothing was run\. /,
    );
  });

  it('refuses protocols past 3 and says how to re-save', () => {
    expect(() => readPickle(readFileSync(dataFixture('hostile', 'protocol-4.pickle')), 'p4')).toThrow(/^p4: byte 0: pickle protocol 4; ltssl reads protocols 2 and 3 .*protocol=3\)$/);
  });

  it('names a truncated pickle as truncated, wherever it ends', async () => {
    const whole = (await python()).get('cifar-10-batches-py/data_batch_1')!;
    for (const at of [1, 40, 200, whole.length - 30, whole.length - 1]) {
      expect(() => readPickle(whole.subarray(0, at), 'b1')).toThrow(/truncated/);
    }
  });

  it('assembles batches into one set, in order, and reads the class names from batches.meta', async () => {
    const files = await python();
    const batches = [1, 2, 3, 4, 5].map((i) => ({ name: `data_batch_${i}`, bytes: files.get(`cifar-10-batches-py/data_batch_${i}`)! }));
    const names = readCifarPythonNames({ name: 'batches.meta', bytes: files.get('cifar-10-batches-py/batches.meta')! }, 'cifar-10', 'fine');
    expect(names).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    const set = readCifarPython(batches, { name: 'c10/train', variant: 'cifar-10', classNames: names, maxBytes: 2 ** 30 });
    expect(set).toMatchObject({ count: 40, channels: 3, height: 32, width: 32, classes: 10 });
    expect([...set.labels]).toEqual(Array.from({ length: 40 }, (_, i) => i % 10));
    expect(set.pixels[37 * 3072 + 2 * 1024 + 31 * 32 + 0]).toBe(fixturePixel(7, 2, 31, 0, 37));
  });

  it("says which entry a batch lacks, and what 'data' should be", async () => {
    const files = await python();
    const meta = { name: 'batches.meta', bytes: files.get('cifar-10-batches-py/batches.meta')! };
    expect(() => readCifarPython([meta], { name: 'x', variant: 'cifar-10', maxBytes: 2 ** 30 })).toThrow(/^batches\.meta: the batch has no 'data' entry \(it has 'num_cases_per_batch', 'label_names', 'num_vis'\)/);
    const batch = { name: 'data_batch_1', bytes: files.get('cifar-10-batches-py/data_batch_1')! };
    expect(() => readCifarPython([batch], { name: 'x', variant: 'cifar-100', maxBytes: 2 ** 30 })).toThrow(/^data_batch_1: the batch has no 'fine_labels' entry/);
  });
});

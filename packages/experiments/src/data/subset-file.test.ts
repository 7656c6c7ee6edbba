import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readSubsetFile, subsetClassCounts } from './subset-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-subsets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const train = { name: 'data/train', count: 10 };

describe('subset files', () => {
  it('reads a text file per r, one index a line (comments, blanks and trailing fields skipped)', async () => {
    const balanced = '# SDCLR-style split\n0\n3\n\n5 0\n9\n';
    const subsets = await readSubsetFile({ '1': file('r1.txt', balanced), '0.01': file('r001.txt', '1\n2\n4\n8\n') }, [1, 0.01], { train });
    expect([...subsets.get(1)!.indices]).toEqual([0, 3, 5, 9]);
    expect(subsets.get(1)).toMatchObject({ ratio: 1, file: join(dir, 'r1.txt'), sha256: sha256(balanced) });
    expect([...subsets.get(0.01)!.indices]).toEqual([1, 2, 4, 8]);
  });

  it('reads a JSON map of inline lists and of text files relative to it', async () => {
    const map = JSON.stringify({ '1': [0, 1, 2], '0.5': 'half.txt' });
    file('half.txt', '7\n8\n9\n');
    const subsets = await readSubsetFile(file('splits.json', map), [1, 0.5], { train });
    expect(subsets.get(1)).toMatchObject({ file: join(dir, 'splits.json'), sha256: sha256(map) });
    expect([...subsets.get(0.5)!.indices]).toEqual([7, 8, 9]);
    expect(subsets.get(0.5)!.file).toBe(join(dir, 'half.txt'));
  });

  it("takes an ImageFolder's images by path, relative to the dataset folder or to its train folder", async () => {
    const trainFiles = ['train/cat/0.png', 'train/cat/1.png', 'train/dog/0.png'];
    const list = file('names.txt', 'train/dog/0.png 1\ncat/1.png\n');
    const subsets = await readSubsetFile({ '1': list }, [1], { train: { name: 'pets/train', count: 3 }, trainFiles });
    expect([...subsets.get(1)!.indices]).toEqual([2, 1]);
    expect((await rejection(readSubsetFile({ '1': file('bad-name.txt', 'cat/9.png\n') }, [1], { train: { name: 'pets/train', count: 3 }, trainFiles }))).message).toBe(
      `${join(dir, 'bad-name.txt')}: line 1: no image 'cat/9.png' in pets/train (give paths relative to the dataset folder or its train folder, as 'ltssl data inspect' reads them)`,
    );
  });

  it('names the file and line of an index out of range, a repeat, or a name where only indices go', async () => {
    expect((await rejection(readSubsetFile({ '1': file('big.txt', '0\n10\n') }, [1], { train }))).message).toBe(`${join(dir, 'big.txt')}: line 2: index 10, but data/train holds 10 images (0..9); is this the split of another dataset?`);
    expect((await rejection(readSubsetFile({ '1': file('twice.txt', '4\n5\n4\n') }, [1], { train }))).message).toBe(`${join(dir, 'twice.txt')}: line 3: image 4 is listed twice (first at ${join(dir, 'twice.txt')}: line 1); a subset lists each image once`);
    expect((await rejection(readSubsetFile({ '1': file('name.txt', 'cat.png\n') }, [1], { train }))).message).toBe(`${join(dir, 'name.txt')}: line 1: 'cat.png' is not an image index (a whole number 0 or more); only an ImageFolder's subset can be given by file name`);
  });

  it('needs a subset for every r of the sweep, r = 1 included, and no other', async () => {
    const one = file('one.txt', '1\n');
    expect((await rejection(readSubsetFile({ '0.01': one }, [1, 0.01], { train }))).message).toBe('--subset-file: no subset for r = 1; give one for every ratio of the sweep (the balanced r = 1 too, so Δ compares subsets of the same source)');
    expect((await rejection(readSubsetFile({ '1': one, '0.2': one }, [1], { train }))).message).toMatch(/subsets for r = 0\.2, which are not among the sweep's ratios \(1\)/);
    expect((await rejection(readSubsetFile(file('notjson.json', '0\n1\n'), [1], { train }))).message).toMatch(/notjson\.json: not JSON .*for one text file per ratio give --subset-file R=FILE for each r$/);
  });

  it('counts the images per class of a subset', () => {
    expect(subsetClassCounts({ labels: Int32Array.from([0, 1, 1, 2, 2, 2]), classes: 4 }, [1, 3, 4, 5])).toEqual([0, 1, 3, 0]);
  });
});

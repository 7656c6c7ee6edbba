import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFixture, rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedImageFolder, imageFolderCacheFile } from './image-folder-cache.js';
import { decodeImageFolder, scanImageFolder } from './image-folder.js';

const root = mkdtempSync(join(tmpdir(), 'ltssl-image-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** PIL's convert('RGB') of each train image, [H, W, 3] row-major (tools/fixtures/gen_data_fixtures.py). */
const pil = JSON.parse(readFileSync(dataFixture('image-folder-pil-rgb.json'), 'utf8')) as Record<string, number[]>;

describe('the ImageFolder reader', () => {
  it("numbers classes by sorted folder name and takes files in torchvision's order, skipping what is not an image", async () => {
    const scan = await scanImageFolder(dataFixture('image-folder', 'train'));
    expect(scan.classNames).toEqual(['cat', 'dog', 'frog']);
    expect(scan.files.map((f) => `${f.label} ${f.path}`)).toEqual(['0 cat/00.png', '0 cat/01.png', '0 cat/02.jpg', '0 cat/03.png', '1 dog/00.png', '1 dog/01.png', '1 dog/02.png', '1 dog/03.png', '2 frog/00.png', '2 frog/01.png', '2 frog/02.png', '2 frog/03.png']);
  });

  it("decodes RGB, grayscale and RGBA PNGs to the pixels PIL's convert('RGB') gives, and a JPEG to within a level or two", async () => {
    const scan = await scanImageFolder(dataFixture('image-folder', 'train'));
    const set = await decodeImageFolder(scan, { name: 'folder/train' });
    expect(set).toMatchObject({ count: 12, channels: 3, height: 8, width: 8, classes: 3, classNames: ['cat', 'dog', 'frog'] });
    scan.files.forEach((file, i) => {
      const expected = pil[`train/${file.path}`]!;
      // ours is CHW, PIL's HWC
      const ours = Array.from({ length: 192 }, (_, p) => set.pixels[i * 192 + (p % 3) * 64 + Math.floor(p / 3)]!);
      const worst = Math.max(...ours.map((v, p) => Math.abs(v - expected[p]!)));
      expect(worst, file.path).toBeLessThanOrEqual(file.path.endsWith('.jpg') ? 2 : 0);
    });
  });

  it('asks for --resize when the images differ in size, and resizes them when given it', async () => {
    const scan = await scanImageFolder(dataFixture('image-folder-mixed'));
    const error = await rejection(decodeImageFolder(scan, { name: 'mixed' }));
    expect(error.message).toBe(`${dataFixture('image-folder-mixed', 'a', '1.png')}: 12x10 pixels, but ${dataFixture('image-folder-mixed', 'a', '0.png')} is 8x8; give every image one size, or resize them on load (--resize 8x8)`);
    const resized = await decodeImageFolder(scan, { name: 'mixed', resize: { height: 6, width: 5 } });
    expect(resized).toMatchObject({ count: 6, height: 6, width: 5 });
  });

  it('names a damaged image, and a test class the train split lacks', async () => {
    const broken = dataFixture('hostile', 'image-folder-broken', 'train');
    const error = await rejection(decodeImageFolder(await scanImageFolder(broken), { name: 'broken' }));
    expect(error.message).toMatch(new RegExp(`^${join(broken, 'a', 'broken.png').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot decode the image \\(sharp: .+\\); the file is damaged or not an image: replace or remove it$`));
    const other = await rejection(scanImageFolder(dataFixture('image-folder', 'test'), ['cat', 'dog']));
    expect(other.message).toBe(`${dataFixture('image-folder', 'test', 'frog')}: class 'frog' is not a class of the train split (cat, dog); rename or remove the folder`);
  });

  it('decodes once: the cache is used while the files are unchanged, and decoded afresh when one changes or the cache is damaged', async () => {
    const folder = join(root, 'copy');
    cpSync(dataFixture('image-folder', 'train'), folder, { recursive: true });
    const cacheDir = join(root, 'cache');
    const first = await cachedImageFolder(await scanImageFolder(folder), { name: 'copy' }, cacheDir);
    expect(first.decoded).toBe(true);
    expect(first.cacheFile).toBe(imageFolderCacheFile(cacheDir, folder));
    const second = await cachedImageFolder(await scanImageFolder(folder), { name: 'copy' }, cacheDir);
    expect(second.decoded).toBe(false);
    expect(second.set.pixels).toEqual(first.set.pixels);
    expect(second.set.labels).toEqual(first.set.labels);
    // A changed modification time is a changed file.
    utimesSync(join(folder, 'dog', '02.png'), new Date(), new Date(2001, 1, 1));
    expect((await cachedImageFolder(await scanImageFolder(folder), { name: 'copy' }, cacheDir)).decoded).toBe(true);
    // A flipped byte in the payload fails the cache's own hash.
    const file = imageFolderCacheFile(cacheDir, folder);
    const bytes = readFileSync(file);
    bytes[bytes.length - 60]! ^= 1;
    writeFileSync(file, bytes);
    const again = await cachedImageFolder(await scanImageFolder(folder), { name: 'copy' }, cacheDir);
    expect(again.decoded).toBe(true);
    expect(again.set.pixels).toEqual(first.set.pixels);
  });
});

import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../checkpoint/atomic-write.js';
import type { ImageSet } from '../image-set.js';
import { decodeImageFolder, type DecodeOptions, type ImageFolderScan } from './image-folder.js';

/**
 * Decoded ImageFolder splits kept on disk, so a sweep (and every `ltssl
 * cell` of it on other processes) decodes the images once. One file per
 * split folder: a magic, a JSON header, then the pixels and the labels. The
 * header holds a key over every image's path, size and modification time,
 * the class names and the resize, and the sha256 of the payload: a cache
 * whose key differs (an image added, changed or renamed) or whose payload
 * does not match its hash (a damaged or half-copied file) is decoded afresh
 * and rewritten, never used.
 */

const MAGIC = new TextEncoder().encode('LTSSL-IMAGES-1\n');

interface CacheHeader {
  readonly key: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly sha256: string;
}

/** The key of a scan: what the decoded pixels depend on. */
export function imageFolderKey(scan: ImageFolderScan, resize: DecodeOptions['resize']): string {
  const stamp = { version: 1, classNames: scan.classNames, resize: resize ?? null, files: scan.files.map((f) => [f.path, f.label, f.bytes, f.mtimeMs]) };
  return createHash('sha256').update(JSON.stringify(stamp)).digest('hex');
}

/** The cache file of a split folder in `cacheDir`: named by the folder's path, so two datasets never share one. */
export function imageFolderCacheFile(cacheDir: string, folder: string): string {
  return join(cacheDir, `image-folder-${createHash('sha256').update(folder).digest('hex').slice(0, 16)}.bin`);
}

/** The cached set, or undefined when there is none or it does not match `key` or its own hash. */
async function readCache(file: string, key: string, scan: ImageFolderScan, name: string): Promise<ImageSet | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  if (bytes.length < MAGIC.length + 4 || !MAGIC.every((b, i) => bytes[i] === b)) return undefined;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, start).toString('utf8')) as CacheHeader;
  } catch {
    return undefined;
  }
  if (header.key !== key || header.count !== scan.files.length) return undefined;
  const size = 3 * header.height * header.width;
  const payload = bytes.subarray(start);
  if (payload.length !== header.count * (size + 4)) return undefined;
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) return undefined;
  const pixels = new Uint8Array(payload.subarray(0, header.count * size));
  const labels = new Int32Array(header.count);
  for (let i = 0; i < header.count; i++) labels[i] = payload.readInt32LE(header.count * size + 4 * i);
  return { name, count: header.count, channels: 3, height: header.height, width: header.width, pixels, labels, classes: scan.classNames.length, classNames: scan.classNames };
}

async function writeCache(file: string, key: string, set: ImageSet): Promise<void> {
  const labels = Buffer.alloc(set.count * 4);
  set.labels.forEach((l, i) => labels.writeInt32LE(l, 4 * i));
  const sha256 = createHash('sha256').update(set.pixels).update(labels).digest('hex');
  const header = Buffer.from(JSON.stringify({ key, count: set.count, height: set.height, width: set.width, sha256 } satisfies CacheHeader));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  await writeFileAtomic(file, async (sink) => {
    for (const part of [MAGIC, length, header, set.pixels, labels]) await sink(part);
  });
}

/** Whether a load decoded the images or took them from the cache, and where the cache is (none when it could not be written). */
export interface CachedDecode {
  readonly set: ImageSet;
  readonly decoded: boolean;
  readonly cacheFile?: string;
}

/**
 * The decoded split, from `cacheDir` when a valid cache is there, else
 * decoded and cached. A cache folder that cannot be written costs only the
 * caching: the set is still returned, without `cacheFile`.
 */
export async function cachedImageFolder(scan: ImageFolderScan, options: DecodeOptions, cacheDir: string): Promise<CachedDecode> {
  const key = imageFolderKey(scan, options.resize);
  const file = imageFolderCacheFile(cacheDir, scan.folder);
  const cached = await readCache(file, key, scan, options.name);
  if (cached) return { set: cached, decoded: false, cacheFile: file };
  const set = await decodeImageFolder(scan, options);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeCache(file, key, set);
    return { set, decoded: true, cacheFile: file };
  } catch {
    return { set, decoded: true };
  }
}

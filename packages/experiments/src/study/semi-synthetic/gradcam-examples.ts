import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { writeFileAtomic } from '../../checkpoint/atomic-write.js';
import type { MethodFamily } from '../cell.js';

/** Where a study folder keeps each semi-synthetic cell's Grad-CAM examples: gradcam/<cell id>.json. */
export const GRADCAM_DIR = 'gradcam';

/** One test composite with its Grad-CAM map: what an overlay is drawn from. */
export interface GradCamExample {
  /** A frequent class (label on the left) or a rare class (label on the right). */
  readonly kind: 'frequent' | 'rare';
  /** The composite's label (frequent 0 .. F-1, rare F .. F+R-1) and its class name. */
  readonly label: number;
  readonly className: string;
  /** 0: the left half carries the label; 1: the right half. */
  readonly labelHalf: 0 | 1;
  /** The probe's top class, in the composite's label space. */
  readonly prediction: number;
  /** Share of the map's mass on the label half; absent when the map is all zero. */
  readonly share?: number;
  /** The composite as stored: uint8 values, channels x height x width. */
  readonly image: { readonly channels: number; readonly height: number; readonly width: number; readonly pixels: readonly number[] };
  /** The Grad-CAM map on the feature map's grid, non-negative, row-major. */
  readonly cam: { readonly height: number; readonly width: number; readonly values: readonly number[] };
}

/** The examples of one cell. */
export interface GradCamExampleSet {
  readonly cellId: string;
  readonly method: string;
  readonly family: MethodFamily;
  readonly seed: number;
  readonly configHash: string;
  readonly examples: readonly GradCamExample[];
}

export async function writeGradCamExamples(studyDir: string, set: GradCamExampleSet): Promise<string> {
  const dir = join(studyDir, GRADCAM_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${set.cellId}.json`);
  const bytes = new TextEncoder().encode(JSON.stringify(set) + '\n');
  await writeFileAtomic(file, async (sink) => sink(bytes));
  return file;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks what an overlay needs, so a truncated or foreign file is refused by name rather than drawn wrong. */
function checkSet(file: string, value: unknown): GradCamExampleSet {
  const fail = (what: string): never => {
    throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not a Grad-CAM example file: ${what}; remove it and rerun its cell`);
  };
  if (!isRecord(value) || typeof value['cellId'] !== 'string' || typeof value['method'] !== 'string' || typeof value['configHash'] !== 'string' || !Array.isArray(value['examples'])) {
    return fail('it needs cellId, method, configHash and examples');
  }
  (value['examples'] as unknown[]).forEach((e, i) => {
    if (!isRecord(e) || !isRecord(e['image']) || !isRecord(e['cam'])) return fail(`examples[${i}] needs image and cam`);
    const image = e['image'];
    const cam = e['cam'];
    const pixels = image['pixels'];
    const values = cam['values'];
    const [c, h, w] = [image['channels'], image['height'], image['width']].map(Number) as [number, number, number];
    if (!Array.isArray(pixels) || pixels.length !== c * h * w) fail(`examples[${i}].image.pixels must hold channels x height x width values`);
    if (!Array.isArray(values) || values.length !== Number(cam['height']) * Number(cam['width']) || values.some((v) => !(typeof v === 'number' && v >= 0))) {
      fail(`examples[${i}].cam.values must hold height x width non-negative numbers`);
    }
    if (e['kind'] !== 'frequent' && e['kind'] !== 'rare') fail(`examples[${i}].kind must be 'frequent' or 'rare'`);
  });
  return value as unknown as GradCamExampleSet;
}

/** Every cell's Grad-CAM examples in a study folder, sorted by cell id; none when the folder has no gradcam/. */
export async function readGradCamExamples(studyDir: string): Promise<GradCamExampleSet[]> {
  const dir = join(studyDir, GRADCAM_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const sets: GradCamExampleSet[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not valid JSON (${(error as Error).message}); remove it and rerun its cell`);
    }
    sets.push(checkSet(file, parsed));
  }
  return sets;
}

import { join } from 'node:path';
import { loadDataset, readSubsetFile, type LoadedDataset, type PretrainSubsets, type SubsetFileSpec } from '@ltssl/experiments';
import { UsageError } from '../io.js';

/** The in-domain and (when configured) out-of-domain sets of a study, and the pre-training subsets of a subset file. */
export interface StudyData {
  readonly data: LoadedDataset;
  readonly ood?: LoadedDataset;
  readonly subsets?: PretrainSubsets;
}

/** The data fields of the long-tail protocols' configurations; the optional ones only the imbalance protocol has. */
export interface StudyDataFields {
  readonly data: string;
  readonly oodData: string | null;
  readonly testData?: string;
  readonly resize?: { readonly height: number; readonly width: number };
  readonly subsetFile?: SubsetFileSpec;
  readonly ratios?: readonly number[];
}

/** Where a study folder keeps decoded ImageFolder images. */
export const DATA_CACHE = 'data-cache';

/**
 * Loads a study's datasets (decoded ImageFolder images cached in the study
 * folder, so every cell and every `ltssl cell` of the sweep decodes them
 * once); the OOD set is resized to the in-domain image size when it differs;
 * a subset file is read and checked against the train split.
 */
export async function loadStudyData(config: StudyDataFields, dir: string): Promise<StudyData> {
  const cacheDir = join(dir, DATA_CACHE);
  const data = await loadDataset(config.data, { cacheDir, ...(config.testData ? { testData: config.testData } : {}), ...(config.resize ? { resize: config.resize } : {}) });
  const subsets = config.subsetFile ? await readSubsetFile(config.subsetFile, config.ratios ?? [1], { train: data.train, ...(data.trainFiles ? { trainFiles: data.trainFiles } : {}) }) : undefined;
  const withSubsets = subsets ? { subsets } : {};
  if (!config.oodData) return { data, ...withSubsets };
  let ood = await loadDataset(config.oodData, { cacheDir });
  if (ood.train.height !== data.train.height || ood.train.width !== data.train.width) {
    ood = await loadDataset(config.oodData, { cacheDir, resize: { height: data.train.height, width: data.train.width } });
  }
  if (ood.train.channels !== data.train.channels) throw new UsageError(`the out-of-domain set '${ood.name}' has ${ood.train.channels} channels, the in-domain set ${data.train.channels}: pick an OOD set with the same channels`);
  return { data, ood, ...withSubsets };
}

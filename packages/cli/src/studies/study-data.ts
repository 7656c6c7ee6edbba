import { loadDataset, type LoadedDataset } from '@ltssl/experiments';
import { UsageError } from '../io.js';

/** The in-domain and (when configured) out-of-domain sets of a study. */
export interface StudyData {
  readonly data: LoadedDataset;
  readonly ood?: LoadedDataset;
}

/** Loads a study's datasets; the OOD set is resized to the in-domain image size when it differs. */
export async function loadStudyData(config: { readonly data: string; readonly oodData: string | null }): Promise<StudyData> {
  const data = await loadDataset(config.data);
  if (!config.oodData) return { data };
  let ood = await loadDataset(config.oodData);
  if (ood.train.height !== data.train.height || ood.train.width !== data.train.width) {
    ood = await loadDataset(config.oodData, { resize: { height: data.train.height, width: data.train.width } });
  }
  if (ood.train.channels !== data.train.channels) throw new UsageError(`the out-of-domain set '${ood.name}' has ${ood.train.channels} channels, the in-domain set ${data.train.channels}: pick an OOD set with the same channels`);
  return { data, ood };
}

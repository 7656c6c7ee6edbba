import { parseRwsamConfig, runRwsamCell, rwsamCells, type RwsamConfig } from '@ltssl/experiments';
import { UsageError } from '../io.js';
import { readJsonFile } from '../study-config.js';
import { cellContext, configFields, describeMetrics, type Study } from './study.js';
import { loadStudyData, type StudyData } from './study-data.js';

/** rwSAM: SimSiam vs +SAM vs +rwSAM (vs the label oracle) vs SimSiam on balanced data of the same n. */
export const rwsamStudy: Study<RwsamConfig, StudyData> = {
  protocol: 'rwsam',
  async config(flags) {
    if (flags.preset) throw new UsageError('--preset applies to the imbalance and semi-synthetic protocols; the rwsam protocol takes --config');
    const raw = flags.config ? configFields(await readJsonFile(flags.config, 'config file'), 'rwsam') : {};
    try {
      return parseRwsamConfig({ ...raw, ...(flags.data ? { data: flags.data } : {}), ...(flags.oodData ? { oodData: flags.oodData } : {}), ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}) });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  },
  cells: rwsamCells,
  load: loadStudyData,
  runner: (config, loaded, context) => (cell) => runRwsamCell(cell, config, cellContext(context, loaded, cell, config.pretrain.epochs)),
  describe: (result) => describeMetrics(result, ['id.linear', 'id.tail', 'id.fewshot10', 'id.knn', 'ood.linear'].map((m) => [m, m] as const)),
};

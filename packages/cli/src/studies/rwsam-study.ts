import { checkRwsamSizes, histogramsOf, parseRwsamConfig, runRwsamCell, rwsamCells, type RwsamConfig } from '@ltssl/experiments';
import { cellContext, describeMetrics, type Study } from './study.js';
import { loadStudyData, type StudyData } from './study-data.js';

/** rwSAM: SimSiam vs +SAM vs +rwSAM (vs the label oracle) vs SimSiam on balanced data of the same n. */
export const rwsamStudy: Study<RwsamConfig, StudyData> = {
  protocol: 'rwsam',
  parse: parseRwsamConfig,
  refuses: [{ flags: ['testData', 'subsetFile'], because: 'the rwsam protocol draws its own subsets of a dataset with a test split (the imbalance protocol takes them)' }],
  cells: rwsamCells,
  load: loadStudyData,
  checkSizes: (config, { data, ood }) => checkRwsamSizes(config, histogramsOf(data), ood ? histogramsOf(ood) : undefined),
  header: (config, _data, cells, dir) => [
    `rwsam study: ${config.variants.join(', ')}; ${config.profiles.join(' and ')} imbalance at r = ${config.ratio}, n = ${config.size}; ${config.sam.adaptive ? 'ASAM' : 'SAM'} rho ${config.sam.rho}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`,
  ],
  runner: (config, loaded, context) => (cell, run) => runRwsamCell(cell, config, cellContext(context, loaded, cell, run, config.pretrain.epochs)),
  describe: (result) => describeMetrics(result, ['id.linear', 'id.tail', 'id.fewshot10', 'id.knn', 'ood.linear'].map((m) => [m, m] as const)),
};

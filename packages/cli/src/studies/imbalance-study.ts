import { imbalanceCells, runImbalanceCell, type ImbalanceConfig } from '@ltssl/experiments';
import { imbalanceConfig } from '../study-config.js';
import { cellContext, describeMetrics, type Study } from './study.js';
import { loadStudyData, type StudyData } from './study-data.js';

/** The imbalance protocol: methods x n x r x seeds on a long-tailed subset, probed in and out of domain. */
export const imbalanceStudy: Study<ImbalanceConfig, StudyData> = {
  protocol: 'imbalance',
  config: imbalanceConfig,
  cells: imbalanceCells,
  load: loadStudyData,
  runner: (config, loaded, context) => (cell) => runImbalanceCell(cell, config, cellContext(context, loaded, cell, config.pretrain.epochs)),
  describe: (result) => describeMetrics(result, [['id.linear', 'id.linear'], ['id.knn', 'id.knn'], ['id.tail', 'id.tail'], ['ood.linear', 'ood.linear']]),
};

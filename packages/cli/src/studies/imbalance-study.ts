import { imbalanceCells, runImbalanceCell, type ImbalanceConfig } from '@ltssl/experiments';
import { bar } from '../progress.js';
import { imbalanceConfig } from '../study-config.js';
import { describeMetrics, type Study } from './study.js';
import { loadStudyData, type StudyData } from './study-data.js';

/** The imbalance protocol: methods x n x r x seeds on a long-tailed subset, probed in and out of domain. */
export const imbalanceStudy: Study<ImbalanceConfig, StudyData> = {
  protocol: 'imbalance',
  config: imbalanceConfig,
  cells: imbalanceCells,
  load: loadStudyData,
  runner: (config, { data, ood }, { driver, info, dir, configHash, progress }) => (cell) =>
    runImbalanceCell(cell, config, {
      driver,
      info,
      data,
      ...(ood ? { ood } : {}),
      studyDir: dir,
      configHash,
      progress: {
        onStep: (epoch, step, steps, loss) =>
          progress.status(`${cell.id} ${bar(epoch * steps + step + 1, config.pretrain.epochs * steps)} epoch ${epoch + 1}/${config.pretrain.epochs} step ${step + 1}/${steps} loss ${loss.toFixed(4)}`),
        onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
      },
    }),
  describe: (result) => describeMetrics(result, [['id.linear', 'id.linear'], ['id.knn', 'id.knn'], ['id.tail', 'id.tail'], ['ood.linear', 'ood.linear']]),
};

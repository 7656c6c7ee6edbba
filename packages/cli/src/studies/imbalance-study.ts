import { checkImbalanceSizes, classIndex, estimateImbalanceSeconds, histogramsOf, IMBALANCE_PRESETS, imbalanceCells, parseImbalanceConfig, runImbalanceCell, type ImbalanceConfig } from '@ltssl/experiments';
import { cellContext, describeMetrics, type Study } from './study.js';
import { loadStudyData, type StudyData } from './study-data.js';

/** The imbalance protocol: methods x n x r x seeds on a long-tailed subset, probed in and out of domain. */
export const imbalanceStudy: Study<ImbalanceConfig, StudyData> = {
  protocol: 'imbalance',
  parse: parseImbalanceConfig,
  presets: {
    named: IMBALANCE_PRESETS,
    default: 'quick',
    needsData: { paper: '--preset paper needs --data (the CIFAR-10 folder, e.g. cifar-10-batches-bin) and --ood-data (the STL-10 folder, e.g. stl10_binary)' },
  },
  cells: imbalanceCells,
  load: loadStudyData,
  checkSizes: (config, { data, ood, subsets }) => checkImbalanceSizes(config, histogramsOf(data), ood ? histogramsOf(ood) : undefined, subsets),
  header: (config, { data, ood, subsets }, cells, dir) => [
    `imbalance study: ${config.methods.join(', ')}${config.randomInit ? ' + random init' : ''}; n in {${config.sizes.join(', ')}}, r in {${config.ratios.join(', ')}} (${config.profile}); ${config.seeds} seed(s); ${cells.length} cells`,
    `data ${data.name}${ood ? `, out of domain ${ood.name}` : ''}${subsets ? `; pre-training subsets from ${[...new Set([...subsets.values()].map((s) => s.file))].join(', ')}` : ''}; ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; results in ${dir}`,
  ],
  estimate: (driver, config, cells, { data, ood }, onMeasure) =>
    estimateImbalanceSeconds(
      driver,
      config,
      cells,
      {
        channels: data.train.channels,
        height: data.train.height,
        width: data.train.width,
        classes: data.train.classes,
        testCount: data.test.count,
        probeTrainCount: Math.min(...classIndex(data.train).available) * data.train.classes,
        oodCount: ood ? ood.test.count + config.probe.oodPerClass * ood.train.classes : 0,
      },
      onMeasure,
    ),
  runner: (config, loaded, context) => (cell, run) => runImbalanceCell(cell, config, cellContext(context, loaded, cell, run, config.pretrain.epochs)),
  describe: (result) => describeMetrics(result, [['id.linear', 'id.linear'], ['id.knn', 'id.knn'], ['id.tail', 'id.tail'], ['ood.linear', 'ood.linear']]),
};

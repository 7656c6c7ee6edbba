import {
  checkSemiSyntheticSizes,
  compositeSize,
  estimateSemiSyntheticSeconds,
  histogramsOf,
  loadDataset,
  parseSemiSyntheticConfig,
  runSemiSyntheticCell,
  SEMI_SYNTHETIC_PRESETS,
  semiSyntheticCells,
  type LoadedDataset,
  type SemiSyntheticConfig,
} from '@ltssl/experiments';
import { cellContext, describeMetrics, type Study } from './study.js';

/** docs/paper.md's semi-synthetic study: SSL vs SL vs supervised-rare vs random features on composites, probed on the rare classes, with Grad-CAM. */
export const semiSyntheticStudy: Study<SemiSyntheticConfig, LoadedDataset> = {
  protocol: 'semi-synthetic',
  parse: parseSemiSyntheticConfig,
  // No default preset: without --preset the schema's defaults are the sweep.
  presets: { named: SEMI_SYNTHETIC_PRESETS },
  refuses: [
    { flags: ['oodData'], because: 'its probe is on the rare classes of its own composites' },
    { flags: ['testData', 'subsetFile'], because: 'it builds its own composites of a dataset with a test split (the imbalance protocol takes them)' },
  ],
  cells: semiSyntheticCells,
  load: (config) => loadDataset(config.data),
  checkSizes: (config, data) => checkSemiSyntheticSizes(config, histogramsOf(data)),
  header: (config, data, cells, dir) => {
    const [height, width] = compositeSize(config, data.train.height, data.train.width);
    const F = config.frequentSources.length;
    const R = config.rareSources.length;
    return [
      `semi-synthetic study: ${config.arms.join(', ')}; ${F} frequent classes x ${config.frequentCount} and ${R} rare x ${config.rareCount} (r = ${config.rareCount / config.frequentCount}); ${config.seeds} seed(s); ${cells.length} cells`,
      `composites ${height} x ${width} from ${data.name} (frequent sources ${config.frequentSources.join(', ')}; rare ${config.rareSources.join(', ')}); ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; probe on ${R} x ${config.probe.perClass} rare composites; results in ${dir}`,
    ];
  },
  estimate: (driver, config, cells, data, onMeasure) => {
    const [height, width] = compositeSize(config, data.train.height, data.train.width);
    return estimateSemiSyntheticSeconds(driver, config, cells, { channels: data.train.channels, height, width }, onMeasure);
  },
  runner: (config, data, context) => (cell, run) => runSemiSyntheticCell(cell, config, cellContext(context, { data }, cell, run)),
  describe: (result) => describeMetrics(result, [['rare.linear', 'rare probe'], ['gradcam.frequent.labelShare', 'label half: frequent'], ['gradcam.rare.labelShare', 'rare']]),
};

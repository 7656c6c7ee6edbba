import { doneCellResult, parseToyConfig, runToyCell, toyCells, type ToyConfig } from '@ltssl/experiments';
import type { Study } from './study.js';

/** The toy protocol: SL vs SSL on docs/paper.md's Gaussian model; its data is generated per cell. */
export const toyStudy: Study<ToyConfig, undefined> = {
  protocol: 'toy',
  parse: parseToyConfig,
  refuses: [
    { flags: ['data', 'oodData'], because: 'its data is generated' },
    { flags: ['testData', 'subsetFile'], because: 'its data is generated' },
  ],
  cells: toyCells,
  load: async () => undefined,
  // The data is generated to the configuration's sizes, which its schema bounds.
  checkSizes: () => ({ problems: [], checked: ['no dataset to hold the sizes: the toy data is generated, and its bounds were checked with the configuration'] }),
  header: (config, _data, cells, dir) => [
    `toy study: ${config.arms.join(' vs ')}; rare ratios r in {${config.ratios.join(', ')}}; d ${config.dim}, tau ${config.tau}, rho ${config.rho}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`,
  ],
  cellTime: 'about a second each on a CPU driver',
  runner: (config, _data, { driver, info, configHash }) => async (cell, run) => {
    const outcome = await runToyCell(driver, cell, config);
    return doneCellResult(cell, { configHash, info }, run.clock, { counts: outcome.classCounts, metrics: outcome.metrics, perClass: outcome.perClass, epochs: outcome.epochs, data: outcome.data });
  },
  // Not all toy metrics are accuracies: raw values.
  describe: (result) => (result.status === 'done' ? Object.entries(result.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  ') : `FAILED: ${result.error}`),
};

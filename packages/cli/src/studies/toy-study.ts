import { doneCellResult, parseToyConfig, runToyCell, toyCells, type ToyConfig } from '@ltssl/experiments';
import { UsageError } from '../io.js';
import { readJsonFile } from '../study-config.js';
import { configFields, type Study } from './study.js';

/** The toy protocol: SL vs SSL on docs/paper.md's Gaussian model; its data is generated per cell. */
export const toyStudy: Study<ToyConfig, undefined> = {
  protocol: 'toy',
  async config(flags) {
    if (flags.preset) throw new UsageError('--preset applies to the imbalance and semi-synthetic protocols; the toy protocol takes --config');
    if (flags.data || flags.oodData) throw new UsageError('--data and --ood-data do not apply to the toy protocol: its data is generated');
    const raw = flags.config ? configFields(await readJsonFile(flags.config, 'config file'), 'toy') : {};
    try {
      return parseToyConfig({ ...raw, ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}) });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  },
  cells: toyCells,
  load: async () => undefined,
  runner: (config, _data, { driver, info, configHash }) => async (cell) => {
    const startedAt = new Date();
    const outcome = await runToyCell(driver, cell, config);
    return doneCellResult(cell, { configHash, info }, startedAt, { counts: outcome.classCounts, metrics: outcome.metrics, perClass: outcome.perClass, epochs: outcome.epochs, data: outcome.data });
  },
  // Not all toy metrics are accuracies: raw values.
  describe: (result) => (result.status === 'done' ? Object.entries(result.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  ') : `FAILED: ${result.error}`),
};

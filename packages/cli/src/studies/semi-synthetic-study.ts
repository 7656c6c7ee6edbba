import {
  loadDataset,
  parseSemiSyntheticConfig,
  runSemiSyntheticCell,
  SEMI_SYNTHETIC_PRESETS,
  semiSyntheticCells,
  type LoadedDataset,
  type SemiSyntheticConfig,
} from '@ltssl/experiments';
import { UsageError } from '../io.js';
import { readJsonFile, type StudyFlags } from '../study-config.js';
import { cellContext, configFields, describeMetrics, type Study } from './study.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The configuration: the preset (none: the defaults), then the --config
 * file's fields (objects field by field; a study.json written by a run is
 * accepted too), then --data and --seeds; validated, every bad field named.
 */
async function semiSyntheticConfig(flags: StudyFlags): Promise<SemiSyntheticConfig> {
  if (flags.oodData) throw new UsageError('--ood-data does not apply to the semi-synthetic protocol: its probe is on the rare classes of its own composites');
  let raw: Record<string, unknown> = {};
  if (flags.preset) {
    const preset = SEMI_SYNTHETIC_PRESETS[flags.preset as keyof typeof SEMI_SYNTHETIC_PRESETS];
    if (!preset) throw new UsageError(`unknown semi-synthetic preset '${flags.preset}'; choose one of: ${Object.keys(SEMI_SYNTHETIC_PRESETS).join(', ')} (or none, for the defaults)`);
    raw = { ...preset };
  }
  if (flags.config) {
    const fields = configFields(await readJsonFile(flags.config, 'config file'), 'semi-synthetic');
    for (const [k, v] of Object.entries(fields)) raw[k] = isObject(v) && isObject(raw[k]) ? { ...raw[k], ...v } : v;
  }
  if (flags.data) raw['data'] = flags.data;
  if (flags.seeds !== undefined) raw['seeds'] = flags.seeds;
  try {
    return parseSemiSyntheticConfig(raw);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** docs/paper.md's semi-synthetic study: SSL vs SL vs supervised-rare vs random features on composites, probed on the rare classes, with Grad-CAM. */
export const semiSyntheticStudy: Study<SemiSyntheticConfig, LoadedDataset> = {
  protocol: 'semi-synthetic',
  config: semiSyntheticConfig,
  cells: semiSyntheticCells,
  load: (config) => loadDataset(config.data),
  runner: (config, data, context) => (cell) => runSemiSyntheticCell(cell, config, cellContext(context, { data }, cell)),
  describe: (result) => describeMetrics(result, [['rare.linear', 'rare probe'], ['gradcam.frequent.labelShare', 'label half: frequent'], ['gradcam.rare.labelShare', 'rare']]),
};

import type { ConvTileTable } from './conv-tiles.js';

/**
 * The convolution tiles by layer, as tools/gpu-check/tune-webgpu.mjs writes them
 * (its conv-tile-table.json, pasted here whole).
 *
 * PLACEHOLDER until measured: no tuning run on a GPU has filled it yet, so every
 * layer takes DEFAULT_CONV_TILE. When a run fills it, `device` and `measured`
 * name the adapter and the date the times came from.
 */
export const CONV_TILE_TABLE: ConvTileTable = {
  device: 'none: placeholder until a tuning run on a GPU measures it',
  measured: null,
  entries: {},
};

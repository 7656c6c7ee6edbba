import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellResult, CellSpec, MethodFamily } from '../study/cell.js';
import { readGradCamExamples, writeGradCamExamples, type GradCamExample, type GradCamExampleSet } from '../study/semi-synthetic/gradcam-examples.js';
import { renderReport, type RenderedReport } from './render-report.js';

// A hand-made semi-synthetic study: four arms x 2 seeds, with SimCLR's rare-class
// probe clearly above supervised's and supervised looking at the left half.
const ARMS: readonly [string, MethodFamily, number, number][] = [
  ['simclr', 'ssl', 5050, 0.01],
  ['supervised', 'sl', 5050, 0.01],
  ['supervised-rare', 'sl', 50, 1],
  ['random', 'random', 0, 1],
];
const RARE: Record<string, number> = { simclr: 0.7, supervised: 0.5, 'supervised-rare': 0.45, random: 0.44 };
const FREQUENT_SHARE: Record<string, number> = { simclr: 0.6, supervised: 0.9, 'supervised-rare': 0.5, random: 0.55 };

function spec(method: string, family: MethodFamily, n: number, r: number, seed: number): CellSpec {
  return { id: `semi-synthetic_${method}_n${n}_r${r}_s${seed}`, protocol: 'semi-synthetic', method, family, n, r, seed };
}

function results(): CellResult[] {
  return [0, 1].flatMap((seed) =>
    ARMS.map(([method, family, n, r]) => ({
      cell: spec(method, family, n, r, seed),
      configHash: 'feed',
      status: 'done' as const,
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:01:00.000Z',
      seconds: 60,
      metrics: { 'rare.linear': RARE[method]! + 0.01 * seed, 'frequent.linear': 0.9, 'gradcam.frequent.labelShare': FREQUENT_SHARE[method]! - 0.02 * seed, 'gradcam.rare.labelShare': 0.8, 'gradcam.frequent.emptyFraction': 0, 'gradcam.rare.emptyFraction': 0 },
      memory: { peakRssBytes: 1e9 },
      environment: { driver: 'onnx', device: 'CPU', node: 'v20', platform: 'linux-x64', ltsslVersion: '0.1.0', packages: {} },
      data: { inDomain: 'semi-synthetic(fashion-mnist)' },
    })),
  );
}

/** A 2 x 4 composite, its map all on the left half or all on the right. */
function example(kind: 'frequent' | 'rare', side: 0 | 1): GradCamExample {
  return {
    kind,
    label: kind === 'frequent' ? 0 : 5,
    className: kind === 'frequent' ? 'frequent Trouser' : 'rare Shirt',
    labelHalf: kind === 'frequent' ? 0 : 1,
    prediction: kind === 'frequent' ? 0 : 6,
    share: side === (kind === 'frequent' ? 0 : 1) ? 1 : 0,
    image: { channels: 1, height: 2, width: 4, pixels: [0, 50, 100, 150, 200, 250, 255, 10] },
    cam: { height: 1, width: 2, values: side === 0 ? [1, 0] : [0, 1] },
  };
}

function exampleSet(method: string, family: MethodFamily, n: number, r: number, seed: number, configHash = 'feed'): GradCamExampleSet {
  return { cellId: spec(method, family, n, r, seed).id, method, family, seed, configHash, examples: [example('frequent', 0), example('rare', 1), example('frequent', 1)] };
}

let dir: string;
let report: RenderedReport;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ltssl-semi-report-'));
  const sets = [
    ...ARMS.flatMap(([method, family, n, r]) => [0, 1].map((seed) => exampleSet(method, family, n, r, seed))),
    exampleSet('simclr', 'ssl', 9, 0.5, 0), // no such cell: left out
    { ...exampleSet('supervised', 'sl', 5050, 0.01, 0), configHash: 'stale' }, // overwrites the current one: another configuration wrote it last
  ];
  for (const set of sets) await writeGradCamExamples(dir, set);
  await writeFile(join(dir, 'leftover.png'), 'x');
  report = await renderReport(results(), join(dir, 'report'), { gradCam: await readGradCamExamples(dir) });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the semi-synthetic report', () => {
  it('draws the arms figure and the overlays, and writes one overlay strip per arm at the seed every arm has', async () => {
    expect(report.warnings).toEqual([]);
    expect(report.figures.map((f) => f.name)).toEqual(['semi-synthetic', 'gradcam-overlays']);
    expect(report.figures[0]!.points).toBe(4 * 3); // 4 arms x 3 metrics
    expect(report.figures[1]!.points).toBe(4 * 3); // 4 arms x 3 overlays
    // Seed 0's supervised file is stale (another configuration), so seed 1, where every arm is current, is drawn.
    expect(report.overlays.map((o) => o.split('/').at(-1))).toEqual(['gradcam-simclr-s1.png', 'gradcam-supervised-s1.png', 'gradcam-supervised-rare-s1.png', 'gradcam-random-s1.png']);
    const files = (await readdir(join(dir, 'report', 'figures'))).sort();
    expect(files).toEqual(['gradcam-overlays.png', 'gradcam-overlays.svg', 'gradcam-random-s1.png', 'gradcam-simclr-s1.png', 'gradcam-supervised-rare-s1.png', 'gradcam-supervised-s1.png', 'semi-synthetic.png', 'semi-synthetic.svg']);
    // The strip: 3 overlays of a 2 x 4 composite at 6x (12 x 24), 24 pixels apart.
    const strip = await readFile(report.overlays[0]!);
    expect([strip.readUInt32BE(16), strip.readUInt32BE(20)]).toEqual([3 * 24 + 2 * 24, 12]);
  });

  it('puts the SL and SSL arms in the overlay figure in order, with their cells\' shares, and only current cells', async () => {
    const svg = await readFile(join(dir, 'report', 'figures', 'gradcam-overlays.svg'), 'utf8');
    const rows = [...svg.matchAll(/font-weight="bold">([^<]+ \((?:SSL|SL|random init)\))</g)].map((m) => m[1]);
    expect(rows).toEqual(['simclr (SSL)', 'supervised (SL)', 'supervised-rare (SL)', 'random (random init)']);
    expect(svg).toContain('label half: frequent 88%'); // supervised, seed 1
    expect(svg).toContain('seed 1</text>');
    expect(svg.match(/<image /g)).toHaveLength(12);
    expect(svg).toContain('Shirt ✗'); // the rare example's probe picked another class
    expect(svg).toContain('label half 100%');
  });

  it('has a section with the table, the paper values and the comparisons', async () => {
    const markdown = await readFile(report.markdown, 'utf8');
    expect(markdown).toContain('## Semi-synthetic study');
    expect(markdown).toContain('| arm | family | pre-training n | r | seeds | rare.linear (%) | gradcam.frequent.labelShare (%) | gradcam.rare.labelShare (%) | frequent.linear (%) |');
    expect(markdown).toMatch(/\| simclr \| SSL \| 5050 \| 0\.01 \| 2 \| 70\.50 ± 0\.71 \| 59\.00 ± 1\.41 \| 80\.00 ± 0\.00 \| 90\.00 ± 0\.00 \| .* \| 70\.10 \|/);
    expect(markdown).toMatch(/\| random \| random init \| 0 \| 1 \| 2 \| 44\.50 ± 0\.71 \|.* \| — \|/);
    expect(markdown).toContain('- rare.linear, simclr − supervised: +20.0 points (SE 0.7; beyond 2 standard errors)');
    expect(markdown).toContain('- rare.linear, simclr − random: +26.0 points (SE 0.7; beyond 2 standard errors)');
    expect(markdown).toContain('- gradcam.frequent.labelShare, supervised − simclr: +30.0 points (SE 1.4; beyond 2 standard errors)');
    expect(markdown).toContain('![Grad-CAM overlays of the semi-synthetic study (seed 1)](figures/gradcam-overlays.svg)');
  });
});

describe('Grad-CAM example files', () => {
  it('round-trip, and a broken one is refused by name', async () => {
    const back = await readGradCamExamples(dir);
    expect(back).toHaveLength(9);
    expect(back[0]!.examples[0]).toEqual(example('frequent', 0));
    await writeFile(join(dir, 'gradcam', 'zz.json'), JSON.stringify({ ...exampleSet('simclr', 'ssl', 1, 1, 0), examples: [{ ...example('rare', 0), cam: { height: 2, width: 2, values: [1] } }] }));
    await expect(readGradCamExamples(dir)).rejects.toThrow(/zz\.json: not a Grad-CAM example file: examples\[0\]\.cam\.values must hold height x width non-negative numbers; remove it and rerun its cell/);
    expect(await readGradCamExamples(join(dir, 'nothing-here'))).toEqual([]);
  });
});

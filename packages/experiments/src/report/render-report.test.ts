import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classCounts } from '../data/long-tail/class-counts.js';
import type { CellResult, CellSpec, MethodFamily } from '../study/cell.js';
import { renderReport, type RenderedReport } from './render-report.js';

// ---------------------------------------------------------------------------
// A realistic small study, built by hand: SimSiam (SSL) and supervised (SL) at
// n in {1000, 2000}, r in {1, 0.1}, 3 seeds, the random-init floor at n = 2000,
// a failed MoCo v2 cell, and the toy model's two arms at two r. The numbers are
// chosen so the three verdicts are unambiguous:
//   id.linear:  Delta_SSL ~ 1%,  Delta_SL ~ 9%, spread ~0.3%  -> SSL more robust
//   ood.linear: Delta_SSL ~ 5%,  Delta_SL ~ 5.5%, spread ~3%, of opposite sign in the two
//               methods, so pairing by seed does not cancel it  -> within noise
//   id.knn:     Delta_SSL ~ 8%,  Delta_SL ~ 2%, spread ~0.3%  -> SL more robust
// ---------------------------------------------------------------------------

const SEEDS = [0, 1, 2];
const SIZES = [1000, 2000];
const ENV = {
  driver: 'onnx',
  device: 'CPU (onnxruntime-node, 2 threads)',
  node: 'v20.20.2',
  platform: 'linux-x64',
  ltsslVersion: '0.1.0',
  packages: { 'onnxruntime-node': '1.30.0' },
  lockfileHash: 'ab'.repeat(32),
  gitCommit: '17f9ff2'.padEnd(40, '0'),
};

/** Accuracy of a method's cell: a balanced level per (method, n, metric), a drop at r < 1, and per-seed noise. */
const BALANCED: Record<string, Record<string, number>> = {
  simsiam: { 'id.linear': 0.8, 'ood.linear': 0.6, 'id.knn': 0.75 },
  supervised: { 'id.linear': 0.85, 'ood.linear': 0.55, 'id.knn': 0.8 },
  random: { 'id.linear': 0.7, 'ood.linear': 0.45, 'id.knn': 0.62 },
};
/** Relative drop at r = 0.1 (the Delta we mean to see). */
const DROP: Record<string, Record<string, number>> = {
  simsiam: { 'id.linear': 0.01, 'ood.linear': 0.05, 'id.knn': 0.08 },
  supervised: { 'id.linear': 0.09, 'ood.linear': 0.055, 'id.knn': 0.02 },
};
/** Per-seed noise added to the imbalanced accuracy, per metric: small for id.*, large for ood.linear. */
const NOISE: Record<string, readonly number[]> = {
  'id.linear': [0.002, -0.002, 0.0005],
  'ood.linear': [0.02, -0.018, 0.001],
  'id.knn': [-0.002, 0.002, 0.0],
};
const SEED_LEVEL = [0.0, 0.003, -0.003];

function accuracy(method: string, n: number, r: number, seed: number, metric: string): number {
  const balanced = BALANCED[method]![metric]! + (n === 2000 ? 0.02 : 0) + SEED_LEVEL[seed]!;
  if (r === 1) return balanced;
  const sign = method === 'supervised' && metric === 'ood.linear' ? -1 : 1;
  return balanced * (1 - DROP[method]![metric]!) + sign * NOISE[metric]![seed]!;
}

function spec(protocol: 'imbalance' | 'toy', method: string, family: MethodFamily, n: number, r: number, seed: number): CellSpec {
  return { id: `${protocol}_${method}_n${n}_r${r}_s${seed}`, protocol, method, family, n, r, seed };
}

function done(cell: CellSpec, metrics: Record<string, number>, extra: Partial<CellResult> = {}): CellResult {
  return {
    cell,
    configHash: 'c0ffee12',
    status: 'done',
    startedAt: `2025-01-0${cell.seed + 1}T10:00:00.000Z`,
    finishedAt: `2025-01-0${cell.seed + 1}T10:05:00.000Z`,
    seconds: 300,
    metrics,
    memory: { peakRssBytes: 1e9 },
    environment: ENV,
    data: { inDomain: 'fashion-mnist', outOfDomain: 'mnist' },
    ...extra,
  };
}

function imbalanceCell(method: 'simsiam' | 'supervised', family: MethodFamily, n: number, r: number, seed: number): CellResult {
  const metrics = Object.fromEntries(['id.linear', 'ood.linear', 'id.knn'].map((m) => [m, accuracy(method, n, r, seed, m)]));
  // Per-class: the tail (classes 5-9) loses more at r = 0.1.
  const perClass = Array.from({ length: 10 }, (_, c) => Math.max(0, Math.min(1, metrics['id.linear']! + (r < 1 && c >= 5 ? -0.05 : 0.05) - c * 0.001)));
  return done(spec('imbalance', method, family, n, r, seed), metrics, { classCounts: classCounts({ profile: 'exp', classes: 10, ratio: r, total: n }), perClass: { 'id.linear': perClass } });
}

function studyResults(): CellResult[] {
  const results: CellResult[] = [];
  for (const seed of SEEDS) {
    results.push(done(spec('imbalance', 'random', 'random', 2000, 1, seed), Object.fromEntries(['id.linear', 'ood.linear', 'id.knn'].map((m) => [m, accuracy('random', 1000, 1, seed, m)]))));
    for (const n of SIZES)
      for (const r of [1, 0.1]) {
        results.push(imbalanceCell('simsiam', 'ssl', n, r, seed));
        results.push(imbalanceCell('supervised', 'sl', n, r, seed));
      }
  }
  results.push({ ...done(spec('imbalance', 'mocov2', 'ssl', 1000, 0.1, 0), {}), status: 'failed', error: 'training diverged at epoch 3: the loss is NaN; lower the learning rate' });
  // As the toy sweep runs it: n = 2N + floor(N r) follows from r (N = 200).
  for (const seed of [0, 1])
    for (const r of [0.1, 0.01]) {
      const n = 400 + Math.floor(200 * r);
      results.push(done(spec('toy', 'toy-ssl', 'ssl', n, r, seed), { 'e2.share': 0.45 + seed * 0.01, 'rare.accuracy': 0.9 - (r === 0.01 ? 0.05 : 0) + seed * 0.01 }));
      results.push(done(spec('toy', 'toy-sl', 'sl', n, r, seed), { 'e2.share': 0.05 + seed * 0.01, 'rare.accuracy': 0.6 - (r === 0.01 ? 0.2 : 0) + seed * 0.01 }));
    }
  return results;
}

// --------------------------------------------------------------- helpers

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: readonly number[]): number => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
const pct = (x: number): string => (x * 100).toFixed(2);

interface DecodedPng {
  width: number;
  height: number;
  /** Distinct RGBA values. */
  colors: number;
  /** Share of pixels that are not white. */
  inked: number;
}

/** A minimal PNG decoder (8-bit RGBA, non-interlaced: what resvg writes), so the test reads the file as any viewer would. */
function decodePng(bytes: Uint8Array): DecodedPng {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.subarray(0, 8)]).toEqual(signature);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      expect([...data.subarray(8, 13)], 'bit depth 8, colour type 6 (RGBA), no interlace').toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? pixels[y * stride + i - 4]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = i >= 4 && y > 0 ? pixels[(y - 1) * stride + i - 4]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter} on row ${y}`);
      pixels[y * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  const colors = new Set<number>();
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const rgba = ((pixels[i]! << 24) | (pixels[i + 1]! << 16) | (pixels[i + 2]! << 8) | pixels[i + 3]!) >>> 0;
    colors.add(rgba);
    if (rgba !== 0xffffffff) inked++;
  }
  return { width, height, colors: colors.size, inked: inked / (width * height) };
}

/** The svg element's declared size. */
function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no svg size');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Every plotted point: vega draws one <path aria-roledescription="point"> each, its aria-label our description (legend symbols are not points). */
function points(svg: string): { label: string; x: number; y: number }[] {
  return [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="point"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => ({
    label: m[1]!.replace(/&amp;/g, '&'),
    x: Number(m[2]),
    y: Number(m[3]),
  }));
}

/** Text content of every <text> element. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
}

// ----------------------------------------------------------------- tests

describe('renderReport on a realistic study', () => {
  let dir: string;
  let report: RenderedReport;
  let markdown: string;
  let html: string;
  const results = studyResults();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltssl-report-'));
    report = await renderReport(results, join(dir, 'report'), { source: 'results/quick' });
    markdown = await readFile(report.markdown, 'utf8');
    html = await readFile(report.html, 'utf8');
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.md, report.html and an SVG and a PNG per figure, Delta figures first (id.linear, ood.linear)', async () => {
    const names = report.figures.map((f) => f.name);
    expect(names).toEqual([
      'delta-id-linear',
      'delta-ood-linear',
      'delta-id-knn',
      'normalized-delta-id-linear',
      'normalized-delta-ood-linear',
      'normalized-delta-id-knn',
      'accuracy-id-linear',
      'accuracy-ood-linear',
      'accuracy-id-knn',
      'toy',
    ]);
    const files = (await readdir(join(dir, 'report', 'figures'))).sort();
    expect(files).toEqual(names.flatMap((n) => [`${n}.png`, `${n}.svg`]).sort());
    expect(report.warnings).toEqual([]);
  });

  it('draws one point per method and n in the Delta figure, SSL below SL for id.linear, with axis titles, panel and legend', async () => {
    const svg = await readFile(join(dir, 'report', 'figures', 'delta-id-linear.svg'), 'utf8');
    const drawn = points(svg);
    // 2 methods x 2 n x one r < 1 panel, each read out with its true n and the Delta computed here from the fixture.
    expect(report.figures[0]!.points).toBe(4);
    expect(drawn).toHaveLength(4);
    for (const [method, arm] of [['simsiam', 'SSL'], ['supervised', 'SL']] as const)
      for (const n of SIZES) {
        const d = SEEDS.map((s) => (accuracy(method, n, 1, s, 'id.linear') - accuracy(method, n, 0.1, s, 'id.linear')) / accuracy(method, n, 1, s, 'id.linear'));
        expect(drawn.map((p) => p.label)).toContain(`${method} (${arm}), n=${n}, r=0.1: Δ ${pct(mean(d))} ± ${pct(std(d))}% (3 seeds)`);
      }
    const words = texts(svg);
    expect(words).toContain('pre-training set size n');
    expect(words).toContain('Δ(n, r): relative accuracy lost');
    expect(words).toContain('r = 0.1');
    expect(words).toContain('simsiam (SSL)');
    expect(words).toContain('supervised (SL)');
    expect(words).toContain('1,000');
    expect(words).toContain('2,000');
    // Error bars: errorbar draws each bar as one line of a rule mark.
    const bars = [...svg.matchAll(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].flatMap((m) => m[1]!.match(/<line /g) ?? []);
    expect(bars).toHaveLength(4);
    // Left to right: at each n SSL (nudged left, Delta ~1%) is drawn lower (larger y) than SL (~9%).
    const plot = [...drawn].sort((a, b) => a.x - b.x);
    expect(plot.map((p) => p.label.split(' ')[0])).toEqual(['simsiam', 'supervised', 'simsiam', 'supervised']);
    expect(plot[0]!.y).toBeGreaterThan(plot[1]!.y);
    expect(plot[2]!.y).toBeGreaterThan(plot[3]!.y);
  });

  it('draws accuracy with one panel per r, 1 included, and the random-init floor', async () => {
    const svg = await readFile(join(dir, 'report', 'figures', 'accuracy-id-linear.svg'), 'utf8');
    const words = texts(svg);
    expect(words).toEqual(expect.arrayContaining(['r = 1', 'r = 0.1', 'accuracy A(n, r)']));
    const floor = mean(SEEDS.map((s) => accuracy('random', 1000, 1, s, 'id.linear')));
    expect(words.filter((w) => w === `random init ${pct(floor)}%`)).toHaveLength(2); // one label per panel
    expect(report.figures.find((f) => f.name === 'accuracy-id-linear')!.points).toBe(2 * 2 * 2);
    expect(points(svg)).toHaveLength(2 * 2 * 2);
  });

  it('draws the toy metrics against r per arm', async () => {
    const svg = await readFile(join(dir, 'report', 'figures', 'toy.svg'), 'utf8');
    const words = texts(svg);
    expect(words).toEqual(expect.arrayContaining(['e2.share', 'rare.accuracy', 'imbalance ratio r', 'toy-ssl (SSL)', 'toy-sl (SL)']));
    expect(report.figures.find((f) => f.name === 'toy')!.points).toBe(2 * 2 * 2); // 2 arms x 2 r x 2 metrics
    const share = [0.45, 0.46];
    expect(points(svg).map((p) => p.label)).toContain(`toy-ssl (SSL), n=402, r=0.01: e2.share ${mean(share).toFixed(3)} ± ${std(share).toFixed(3)} (2 seeds)`);
  });

  it('writes PNGs at twice the SVG size that decode and are not blank', async () => {
    for (const f of report.figures) {
      const png = decodePng(new Uint8Array(await readFile(f.png)));
      const size = svgSize(await readFile(f.svg, 'utf8'));
      expect(png.width, f.name).toBe(Math.ceil(size.width * 2));
      expect(png.height, f.name).toBe(Math.ceil(size.height * 2));
      // Lines, points, text and anti-aliasing give hundreds of colours; a blank or text-less image has a handful.
      expect(png.colors, f.name).toBeGreaterThan(100);
      expect(png.inked, f.name).toBeGreaterThan(0.02);
    }
  });

  it("puts each method's accuracy mean ± std over seeds in the markdown table", () => {
    for (const method of ['simsiam', 'supervised'] as const)
      for (const n of SIZES)
        for (const r of [1, 0.1]) {
          const cells = ['id.linear', 'ood.linear', 'id.knn'].map((m) => {
            const v = SEEDS.map((s) => accuracy(method, n, r, s, m));
            return `${pct(mean(v))} ± ${pct(std(v))}`;
          });
          expect(markdown).toContain(`| ${method} | ${method === 'simsiam' ? 'ssl' : 'sl'} | ${n} | ${r} | 3 | ${cells.join(' | ')} |`);
        }
    const random = ['id.linear', 'ood.linear', 'id.knn'].map((m) => {
      const v = SEEDS.map((s) => accuracy('random', 1000, 1, s, m));
      return `${pct(mean(v))} ± ${pct(std(v))}`;
    });
    expect(markdown).toContain(`| random | random | 2000 | 1 | 3 | ${random.join(' | ')} |`);
  });

  it('puts Delta, gain over random init and normalised Delta per seed, averaged, in the Delta table', () => {
    for (const method of ['simsiam', 'supervised'] as const)
      for (const n of SIZES) {
        const balanced = SEEDS.map((s) => accuracy(method, n, 1, s, 'id.linear'));
        const imbalanced = SEEDS.map((s) => accuracy(method, n, 0.1, s, 'id.linear'));
        const floor = SEEDS.map((s) => accuracy('random', 1000, 1, s, 'id.linear'));
        const delta = SEEDS.map((s) => (balanced[s]! - imbalanced[s]!) / balanced[s]!);
        const gain = SEEDS.map((s) => balanced[s]! - floor[s]!);
        const normalized = SEEDS.map((s) => (balanced[s]! - imbalanced[s]!) / gain[s]!);
        const row = [delta, gain, normalized].map((v) => `${pct(mean(v))} ± ${pct(std(v))}`);
        expect(markdown).toContain(`| id.linear | ${method} | ${method === 'simsiam' ? 'ssl' : 'sl'} | ${n} | 0.1 | ${row.join(' | ')} | 3 |`);
      }
  });

  it('gives each constructed case its verdict: SSL more robust, within noise, the reverse', () => {
    const line = (metric: string, n: number): string => report.verdicts.find((v) => v.startsWith(`${metric} n=${n} r=0.1: simsiam`))!;
    for (const n of SIZES) {
      expect(line('id.linear', n)).toMatch(/: SSL more robust: the 95% interval of Δ_SL − Δ_SSL is above 0$/);
      expect(line('ood.linear', n)).toMatch(/: within noise: the 95% interval includes 0 \(at the observed spread \d+ seeds would clear the interval\)$/);
      expect(line('id.knn', n)).toMatch(/: SL more robust: the 95% interval of Δ_SL − Δ_SSL is below 0$/);
    }
    expect(report.verdicts).toHaveLength(3 * 2);
    // The independent numbers behind the id.linear line at n = 1000.
    const d = (method: string): number[] => SEEDS.map((s) => (accuracy(method, 1000, 1, s, 'id.linear') - accuracy(method, 1000, 0.1, s, 'id.linear')) / accuracy(method, 1000, 1, s, 'id.linear'));
    expect(line('id.linear', 1000)).toContain(`simsiam Δ ${pct(mean(d('simsiam')))}% ± ${pct(std(d('simsiam')))} (3 seeds) vs supervised Δ ${pct(mean(d('supervised')))}% ± ${pct(std(d('supervised')))} (3 seeds)`);
    for (const v of report.verdicts) {
      expect(markdown).toContain(`- ${v.replace(/[|*[\]]/g, (c) => `\\${c}`)}`);
      expect(html).toContain(`<li>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</li>`);
    }
    expect(markdown).toContain('6 comparisons: SSL more robust (the interval above 0) in 2, within noise in 2, SL more robust in 2.');
  });

  it('lists what was run, the class counts, per-class accuracy, the failed cell and the environment', () => {
    expect(markdown).toContain('- Cells: 36 (35 done, 1 failed).');
    expect(markdown).toContain('- Methods: mocov2 (ssl), simsiam (ssl), supervised (sl), random (random), toy-ssl (ssl), toy-sl (sl).');
    expect(markdown).toContain('- Protocol imbalance: 28 cells; n 1000, 2000; r 1, 0.1; seeds 0, 1, 2.');
    expect(markdown).toContain('- Protocol toy: 8 cells; n 402, 420; r 0.1, 0.01; seeds 0, 1.');
    expect(markdown).toContain('- Data: in domain fashion-mnist; out of domain mnist.');
    expect(markdown).toContain('- Drivers and devices: onnx on CPU (onnxruntime-node, 2 threads).');
    expect(markdown).toContain(`| 1000 | 0.1 | 0, 1, 2 | simsiam, supervised | 1000 | ${classCounts({ profile: 'exp', classes: 10, ratio: 0.1, total: 1000 }).join(', ')} |`);
    expect(markdown).toMatch(/\| method \| arm \| n \| r \| seeds \| 0 \| 1 \| 2 \| 3 \| 4 \| 5 \(tail\) \|/);
    expect(markdown).toContain('| imbalance_mocov2_n1000_r0.1_s0 | imbalance | mocov2 | 1000 | 0.1 | 0 | training diverged at epoch 3: the loss is NaN; lower the learning rate |');
    expect(markdown).toContain(`| 36 | onnx | CPU (onnxruntime-node, 2 threads) | 0.1.0 | v20.20.2 | linux-x64 | ${ENV.gitCommit} | ${ENV.lockfileHash} | onnxruntime-node 1.30.0 |`);
    expect(markdown).toMatch(/Figures drawn with vega 6\.\d+\.\d+, vega-lite 6\.\d+\.\d+, @resvg\/resvg-js 2\.\d+\.\d+, dejavu-fonts-ttf 2\.\d+\.\d+/);
    expect(markdown).toContain('1 cell failed and is left out of every mean');
    expect(report.notes.some((n) => n.startsWith('No finished balanced'))).toBe(false); // the failed cell is imbalanced: it drops no seed
  });

  it('references the figures from report.md by relative path and embeds them in report.html, which fetches nothing', () => {
    for (const f of report.figures) {
      expect(markdown).toContain(`](figures/${f.name}.svg)`);
      expect(markdown).toContain(`([PNG](figures/${f.name}.png))`);
    }
    expect(html.match(/<svg /g)).toHaveLength(report.figures.length);
    // The one link is an empty inline icon: without it a browser asks the server for /favicon.ico.
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html.replace('<link rel="icon" href="data:,">', '')).not.toMatch(/<script|<link|<img|@import|src="|url\(http/i);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the same bytes for the same results in any order', async () => {
    const again = await renderReport([...results].reverse(), join(dir, 'again'), { source: 'results/quick' });
    expect(await readFile(again.markdown, 'utf8')).toBe(markdown);
    expect(await readFile(again.html, 'utf8')).toBe(html);
    for (const [i, f] of again.figures.entries()) {
      expect(await readFile(f.svg, 'utf8')).toBe(await readFile(report.figures[i]!.svg, 'utf8'));
      expect(Buffer.compare(await readFile(f.png), await readFile(report.figures[i]!.png)), f.name).toBe(0);
    }
  }, 60_000);
});

describe('renderReport on partial results', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltssl-report-partial-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders an empty study as a report that says there is nothing, without figures', async () => {
    const report = await renderReport([], join(dir, 'empty'));
    expect(report.figures).toEqual([]);
    const markdown = await readFile(report.markdown, 'utf8');
    expect(markdown).toContain('No cell results: nothing to report.');
    expect(markdown).toContain('No figures');
    expect(await readFile(report.html, 'utf8')).toContain('No SSL vs SL comparison');
  });

  it('renders only failed cells: the errors, and no figures', async () => {
    const failed = studyResults()
      .slice(0, 3)
      .map((r, i) => ({ ...r, status: 'failed' as const, metrics: {}, error: `out of memory in cell ${i}` }));
    const report = await renderReport(failed, join(dir, 'failed'));
    const markdown = await readFile(report.markdown, 'utf8');
    expect(report.figures).toEqual([]);
    expect(markdown).toContain('Every cell failed (3)');
    for (let i = 0; i < 3; i++) expect(markdown).toContain(`out of memory in cell ${i}`);
  });

  it('draws what one seed gives and says what is missing: a seed without its balanced cell, one seed, no floor, no toy, no OOD', async () => {
    const cells = studyResults().filter((r) => r.cell.protocol === 'imbalance' && r.cell.family !== 'random' && r.status === 'done' && r.cell.n === 1000 && r.cell.seed <= 1);
    // Seed 1 keeps only its imbalanced cells: its Delta cannot be formed.
    const partial = cells
      .filter((r) => !(r.cell.seed === 1 && r.cell.r === 1))
      .map((r) => ({ ...r, metrics: { 'id.linear': r.metrics['id.linear']! } }));
    const report = await renderReport(partial, join(dir, 'partial'), { pngScale: 1 });
    expect(report.figures.map((f) => f.name)).toEqual(['delta-id-linear', 'accuracy-id-linear']);
    expect(report.notes).toEqual([
      'No finished balanced (r = 1) cell of simsiam at n=1000 for seed 1: that seed is left out of its Δ.',
      'No finished balanced (r = 1) cell of supervised at n=1000 for seed 1: that seed is left out of its Δ.',
      '2 Δ values of 2 rest on one seed: its std is 0 and no difference can be told from noise; run at least 3 seeds (docs/paper.md).',
      'No finished random-init cell: gain over random init and normalised Δ are not computed (the study config sets randomInit).',
      "No out-of-domain metric (ood.*): only in-domain figures (the paper's Figure 2 needs an out-of-domain set).",
      'No cell of the toy protocol: no toy figure.',
    ]);
    expect(report.verdicts).toEqual([expect.stringMatching(/^id\.linear n=1000 r=0\.1: .*: no verdict: 1 paired seed, a verdict needs 3 \(no spread yet to say how many seeds a verdict would need\)$/)]);
    const markdown = await readFile(report.markdown, 'utf8');
    for (const note of report.notes) expect(markdown).toContain(`- ${note.replace(/\*/g, '\\*')}`); // markdown escapes the '*' of 'ood.*'
    // No toy cell: no toy section (the note says so once).
    expect(markdown).not.toContain('## Toy model');
  });

  it('gives a toy-only report the toy sections and none of the imbalance protocol', async () => {
    const report = await renderReport(studyResults().filter((r) => r.cell.protocol === 'toy'), join(dir, 'toy-only'), { pngScale: 1 });
    const headings = (await readFile(report.markdown, 'utf8')).split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toContain('Toy model');
    for (const absent of ['Accuracy', 'Δ(n, r)', 'Pre-training subsets', 'Per-class accuracy', 'rwSAM', 'Semi-synthetic study']) expect(headings).not.toContain(absent);
  }, 30_000);

  it('leaves out a metric value that is not a finite number, and names it', async () => {
    const results = studyResults().map((r) => (r.cell.id === 'imbalance_simsiam_n1000_r0.1_s2' ? { ...r, metrics: { ...r.metrics, 'id.knn': Number.NaN } } : r));
    const report = await renderReport(results, join(dir, 'nan'), { pngScale: 1 });
    expect(report.notes[0]).toBe('Left out a metric value that is not a finite number: imbalance_simsiam_n1000_r0.1_s2 id.knn (NaN).');
    const markdown = await readFile(report.markdown, 'utf8');
    expect(markdown).not.toContain('NaN ±');
    const v = [0, 1].map((s) => accuracy('simsiam', 1000, 0.1, s, 'id.knn'));
    expect(markdown).toContain(`${pct(mean(v))} ± ${pct(std(v))} (2 seeds)`);
  }, 30_000);

  it('removes figures of an earlier render that the new results no longer draw, and leaves other files alone', async () => {
    const out = join(dir, 'rerender');
    const first = await renderReport(studyResults(), out, { pngScale: 1 });
    expect(first.figures.length).toBe(10);
    await writeFile(join(out, 'figures', 'notes.txt'), 'mine');
    const only = studyResults().filter((r) => r.cell.protocol === 'toy');
    const second = await renderReport(only, out, { pngScale: 1 });
    expect(second.figures.map((f) => f.name)).toEqual(['toy']);
    expect((await readdir(join(out, 'figures'))).sort()).toEqual(['notes.txt', 'toy.png', 'toy.svg']);
  }, 60_000);
});

import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { runCli } from '@ltssl/cli';
import { CHROMIUM, describeNeeding } from '@ltssl/testing';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticIdxFolder } from '../study/synthetic-idx-folder.js';

/** The width of the window the report must fit (a laptop screen's browser window). */
const WINDOW = { width: 1400, height: 900 };

/**
 * The flags Debian's Chromium runs with here: headless, no sandbox (CI runs as
 * root), no GPU, and nothing that reaches the network on its own.
 */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = mkdtempSync(join(tmpdir(), 'ltssl-browser-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function ltssl(...args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'ltssl', ...args], { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  expect(code, `ltssl ${args.join(' ')}: ${err}`).toBe(0);
  return out;
}

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.md': 'text/markdown' };

/** A static server on 127.0.0.1 for one folder: the report as a reader's browser gets it, files by path. */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path);
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

interface PageCheck {
  readonly errors: string[];
  readonly failedRequests: string[];
  readonly figures: number;
  /** Pictures whose decoding was checked: each figure's PNG at least. */
  readonly pictures: number;
  readonly undrawn: string[];
  readonly undecoded: string[];
  readonly documentWidth: number;
  readonly windowWidth: number;
  readonly headings: string[];
}

/**
 * Run in the page (plain JavaScript: this project compiles without the DOM's
 * types). An inline SVG figure is drawn when it has a size; each figure's PNG,
 * each picture inside an SVG (Grad-CAM tiles) and each img must decode in the
 * browser, which is what naturalWidth says.
 */
const IN_PAGE = `(async () => {
  const figures = [...document.querySelectorAll('figure')];
  const undrawn = figures.filter((f) => {
    const box = f.querySelector('svg')?.getBoundingClientRect();
    return !box || box.width === 0 || box.height === 0;
  });
  const sources = [
    ...figures.flatMap((f) => [...f.querySelectorAll('a[href$=".png"]')].map((a) => a.href)),
    ...[...document.querySelectorAll('svg image')].map((i) => i.getAttribute('href') ?? i.getAttribute('xlink:href') ?? ''),
    ...[...document.querySelectorAll('img')].map((i) => i.src),
  ];
  const undecoded = [];
  for (const src of sources) {
    const image = new Image();
    image.src = src;
    // decode() rejects for a picture that cannot be read; naturalWidth is 0 then.
    await image.decode().catch(() => undefined);
    if (image.naturalWidth === 0) undecoded.push(src.slice(0, 80));
  }
  return {
    figures: figures.length,
    pictures: sources.length,
    undrawn: undrawn.map((f) => f.id),
    undecoded,
    documentWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    headings: [...document.querySelectorAll('h2')].map((h) => h.textContent ?? ''),
  };
})()`;

/** Loads report.html of `dir` at the window size and reports what a reader would see go wrong. */
async function check(context: BrowserContext, dir: string): Promise<PageCheck> {
  const { server, url } = await serve(dir);
  const page = await context.newPage();
  const errors: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(e.message));
  page.on('requestfailed', (r) => void failedRequests.push(r.url()));
  page.on('response', (r) => void (r.status() >= 400 && failedRequests.push(`${r.status()} ${r.url()}`)));
  try {
    await page.setViewportSize(WINDOW);
    await page.goto(`${url}/report.html`, { waitUntil: 'load' });
    const seen = (await page.evaluate(IN_PAGE)) as Omit<PageCheck, 'errors' | 'failedRequests'>;
    return { errors, failedRequests, ...seen };
  } finally {
    await page.close();
    server.close();
  }
}

/** What every report must show a reader: no error, every figure drawn and decoded, nothing wider than the window. */
function expectReadable(seen: PageCheck): void {
  expect(seen.errors).toEqual([]);
  expect(seen.failedRequests).toEqual([]);
  expect(seen.undrawn).toEqual([]);
  expect(seen.undecoded).toEqual([]);
  expect(seen.pictures).toBeGreaterThanOrEqual(seen.figures);
  expect(seen.windowWidth).toBe(WINDOW.width);
  expect(seen.documentWidth, 'the page is wider than the window: something does not wrap').toBeLessThanOrEqual(WINDOW.width);
}

describeNeeding(CHROMIUM, "the report in a real browser (Debian's Chromium driven by playwright-core)", () => {
  let context: BrowserContext;
  const imbalance = join(root, 'imbalance');
  const toy = join(root, 'toy');

  beforeAll(async () => {
    // A small run of the imbalance protocol (two methods, the random-init floor, an out-of-domain set) and of the toy model.
    const data = writeSyntheticIdxFolder(join(root, 'data'), { perClass: 40, testPerClass: 10, seed: 1 });
    const ood = writeSyntheticIdxFolder(join(root, 'ood'), { perClass: 20, testPerClass: 10, seed: 2 });
    const config = join(root, 'imbalance.json');
    writeFileSync(
      config,
      JSON.stringify({
        data,
        oodData: ood,
        methods: ['simclr', 'supervised'],
        sizes: [160],
        ratios: [1, 0.1],
        seeds: 1,
        encoder: { arch: 'small-cnn', width: 4 },
        pretrain: { epochs: 1, batch: 32, checkpointEvery: 1 },
        methodOptions: { simclr: { projectorDim: 16 } },
        probe: { kind: 'cached', epochs: 3, fewShot: [2], oodPerClass: 20 },
      }),
    );
    await ltssl('run', 'imbalance', '--backend', 'onnx', '--config', config, '--out', imbalance);
    await ltssl('report', imbalance);
    // The toy model at a few seconds' size (as test/src/study/toy-protocol.test.ts runs it).
    writeFileSync(join(root, 'toy.json'), JSON.stringify({ dim: 12, width: 4, frequentCount: 20, ratios: [1, 0.25], seeds: 1, sl: { steps: 30 }, ssl: { steps: 20, batch: 8 }, probe: { shotsPerClass: 3, testPerClass: 50, steps: 30 } }));
    await ltssl('run', 'toy', '--backend', 'onnx', '--config', join(root, 'toy.json'), '--out', toy);
    await ltssl('report', toy);
    context = await chromium.launchPersistentContext(mkdtempSync(join(root, 'profile-')), { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: WINDOW });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
  });

  it('loads the imbalance report with no console error, every figure drawn and decoded, within a 1400 px window', async () => {
    const seen = await check(context, join(imbalance, 'report'));
    expectReadable(seen);
    expect(seen.figures).toBeGreaterThanOrEqual(4);
    expect(seen.headings).toEqual(expect.arrayContaining(['Accuracy', 'Δ(n, r)', 'Environment']));
    expect(seen.headings).not.toContain('Toy model');
  }, 60_000);

  it('loads the toy report the same way, with only the sections of the toy protocol', async () => {
    const seen = await check(context, join(toy, 'report'));
    expectReadable(seen);
    expect(seen.figures).toBe(1);
    expect(seen.headings).toContain('Toy model');
    for (const absent of ['Accuracy', 'Δ(n, r)', 'Pre-training subsets']) expect(seen.headings).not.toContain(absent);
  }, 60_000);
});

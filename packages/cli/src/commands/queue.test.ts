import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSpec, writeSampleStudy } from '../sample-study.js';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-queue-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const toy = join(dir, 'toy.json');
writeFileSync(toy, JSON.stringify({ dim: 20, ratios: [1], seeds: 1 }));

/** A URL of 127.0.0.1 where nothing listens: a port the kernel handed out, then closed again. */
let closed: string;
beforeAll(async () => {
  const port = await new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
  closed = `redis://127.0.0.1:${port}`;
});

describe('ltssl queue and collect --queue, refusing bad input before any work', () => {
  it('a Redis that does not answer is one line naming it and the fix, exit 2, for add, worker and collect', async () => {
    const out = join(dir, 'unreachable');
    const add = await cli('queue', 'add', '--config', toy, '--protocol', 'toy', '--out', out, '--redis', closed);
    expect({ code: add.code, stdout: add.stdout }).toEqual({ code: 2, stdout: '' });
    expect(add.stderr).toMatch(new RegExp(`^ltssl: cannot reach Redis at ${closed} \\(.*ECONNREFUSED.*\\): start redis-server there \\(or fix --redis\\), then run the command again\\n$`));
    expect(existsSync(join(out, 'study.json'))).toBe(false);

    const worker = await cli('--backend', 'onnx', 'queue', 'worker', '--redis', closed, '--out', join(dir, 'worker'));
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/^ltssl: cannot reach Redis at .*\n$/);

    const study = join(dir, 'study');
    await writeSampleStudy(study, [sampleSpec('simsiam', 1, 0)], []);
    const collect = await cli('collect', '--queue', closed, study);
    expect(collect.code).toBe(2);
    expect(collect.stderr).toMatch(/^ltssl: cannot reach Redis at .*\n$/);
  });

  it('a URL that is not a Redis URL, a folder the worker cannot write, and bad counts are one line each, exit 2', async () => {
    const url = await cli('queue', 'add', '--config', toy, '--protocol', 'toy', '--out', join(dir, 'u'), '--redis', 'http://127.0.0.1:6379');
    expect(url).toMatchObject({ code: 2, stderr: 'ltssl: --redis http://127.0.0.1:6379: give a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379\n' });
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const unwritable = await cli('--backend', 'onnx', 'queue', 'worker', '--redis', closed, '--out', join(file, 'w'));
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.split('\n')).toHaveLength(2);
    expect(unwritable.stderr).toMatch(/^ltssl: .*a-file\/w.*\n$/);
    const attempts = await cli('queue', 'add', '--config', toy, '--protocol', 'toy', '--out', join(dir, 'u'), '--redis', closed, '--attempts', '0');
    expect(attempts).toMatchObject({ code: 2, stderr: 'ltssl: --attempts 0: give at least 1\n' });
    const lock = await cli('--backend', 'onnx', 'queue', 'worker', '--redis', closed, '--out', join(dir, 'w'), '--lock-duration', '10');
    expect(lock).toMatchObject({ code: 2, stderr: 'ltssl: --lock-duration 10: give at least 1000\n' });
  });
});

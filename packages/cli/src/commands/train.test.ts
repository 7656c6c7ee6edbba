import { describe, expect, it } from 'vitest';
import { cli } from '../test-io.js';

describe('ltssl train (demo)', () => {
  it('trains the small CNN on the reference driver past 95% training accuracy', async () => {
    const { code, stdout, stderr } = await cli('train', '--backend', 'reference');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const epochs = stdout.match(/^epoch \d+\/5 {2}loss [\d.]+ {2}train accuracy [\d.]+%/gm);
    expect(epochs).toHaveLength(5);
    const final = Number(/final train accuracy ([\d.]+)%/.exec(stdout)![1]);
    expect(final).toBeGreaterThan(95);
  });

  it('stops a diverging run with the epoch, the step and what to do', async () => {
    const { code, stderr } = await cli('train', '--backend', 'reference', '--lr', '1e6', '--epochs', '1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ltssl: training diverged at epoch 1, step \d+: loss .*; lower --lr \(now 1000000\)\n$/);
  });

  it('rejects impossible settings as usage errors', async () => {
    expect((await cli('train', '--batch', '1')).stderr).toBe('ltssl: --batch must be at least 2 (BatchNorm needs two samples)\n');
    expect((await cli('train', '--samples', '8', '--batch', '16')).code).toBe(2);
    const bad = await cli('train', '--epochs', 'two');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("ltssl: option '--epochs <n>' argument 'two' is invalid. expected an integer, got 'two'\n");
  });
});

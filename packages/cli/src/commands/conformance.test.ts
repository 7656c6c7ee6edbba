import { describe, expect, it } from 'vitest';
import { cli } from '../test-io.js';

describe('ltssl conformance', () => {
  it('runs the suite on the reference driver and ends with the counts', async () => {
    const { code, stdout } = await cli('conformance', '--backend', 'reference');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^conformance of driver 'reference' on CPU/);
    expect(stdout).not.toContain('FAIL');
    const [, passed, failed] = /(\d+) passed, (\d+) failed, 0 skipped\n$/.exec(stdout)!;
    expect(Number(passed)).toBeGreaterThan(300);
    expect(Number(failed)).toBe(0);
  });

  it('filters with --only and says when nothing matches', async () => {
    const steps = await cli('conformance', '--backend', 'reference', '--only', 'step/', '--verbose');
    expect(steps.stdout).toContain('ok   step/simsiam-small-cnn');
    expect(steps.stdout).toContain('ok   step/mocov2-small-cnn');
    expect(steps.stdout).toContain('ok   step/byol-small-cnn');
    expect(steps.stdout).toContain('ok   step/sdclr-small-cnn');
    expect(steps.stdout).toMatch(/6 passed, 0 failed, 0 skipped\n$/);
    const none = await cli('conformance', '--only', 'nothing/');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("no check matches --only 'nothing/'");
    // Six whole steps on the float64 reference, then starting every driver for --backend auto: more than vitest's default 5 s on a busy 2-core machine.
  }, 60_000);
});

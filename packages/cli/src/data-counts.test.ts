import { describe, expect, it } from 'vitest';
import { cli } from './test-io.js';


describe('ltssl data counts', () => {
  it("prints docs/paper.md's head-size counts for CIFAR-10", async () => {
    const r01 = await cli('data', 'counts', '--profile', 'exp', '--classes', '10', '--head', '5000', '--ratio', '0.1');
    expect(r01).toEqual({ code: 0, stdout: '[5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500]\n', stderr: '' });
    const r001 = await cli('data', 'counts', '--profile', 'exp', '--classes', '10', '--head', '5000', '--ratio', '0.01');
    expect(r001.stdout).toBe('[5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]\n');
    const step = await cli('data', 'counts', '--profile', 'step', '--classes', '10', '--head', '5000', '--ratio', '0.01');
    expect(step.stdout).toBe('[5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50]\n');
  });

  it('prints the fixed-total split with --total, summing to n', async () => {
    const { code, stdout } = await cli('data', 'counts', '--profile', 'exp', '--classes', '10', '--total', '12406', '--ratio', '1');
    expect(code).toBe(0);
    expect(stdout).toBe('[1241, 1241, 1241, 1241, 1241, 1241, 1240, 1240, 1240, 1240]\n');
    const tail = await cli('data', 'counts', '--profile', 'exp', '--classes', '10', '--total', '5000', '--ratio', '0.01');
    expect((JSON.parse(tail.stdout) as number[]).reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('refuses bad values with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--classes', '10', '--head', '50', '--ratio', '0'], /^ltssl: option '--ratio <r>' argument '0' is invalid\. the imbalance ratio r must be in \(0, 1\]/],
      [['--classes', '10', '--head', '50', '--ratio', '1.5'], /argument '1\.5' is invalid/],
      [['--classes', '1', '--head', '50', '--ratio', '0.1'], /^ltssl: option '--classes <C>' argument '1' is invalid\. the number of classes C must be an integer of at least 2/],
      [['--classes', '10', '--head', '2.5', '--ratio', '0.1'], /the head size N must be an integer of at least 1/],
      [['--classes', '10', '--ratio', '0.1'], /^ltssl: 'data counts' needs --head <N> \(head-size form\) or --total <n> \(fixed total\)$/],
      [['--classes', '10', '--head', '50', '--total', '100', '--ratio', '0.1'], /^ltssl: option '--head <N>' cannot be used with option '--total <n>'$/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli('data', 'counts', '--profile', 'exp', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')).toHaveLength(2);
      expect(stderr.trimEnd()).toMatch(message);
    }
    const profile = await cli('data', 'counts', '--profile', 'zipf', '--classes', '10', '--head', '5', '--ratio', '0.1');
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/^ltssl: option '--profile <profile>' argument 'zipf' is invalid\. Allowed choices are exp, step\.?\n$/);
    const missing = await cli('data', 'counts', '--classes', '10', '--head', '5', '--ratio', '0.1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ltssl: required option '--profile <profile>' not specified\n$/);
  });
});

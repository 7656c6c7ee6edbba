import { describe, expect, it } from 'vitest';
import { decide } from './needs.js';
import { SYSTEM_REQUIREMENTS, type SystemRequirement } from './system-requirements.js';

const requirement = (present: boolean, name = 'dataset-demo'): SystemRequirement => ({
  what: `the demo data (${name})`,
  packages: [name],
  install: `apt-get install ${name}`,
  present: () => present,
});

describe('tests that need a system package', () => {
  it('run when it is installed, in CI or not', () => {
    expect(decide(requirement(true), {})).toEqual({ action: 'run' });
    expect(decide(requirement(true), { CI: 'true' })).toEqual({ action: 'run' });
  });

  it('skip outside CI with a reason naming the package and its install command', () => {
    expect(decide([requirement(true, 'a'), requirement(false, 'b')], {})).toEqual({ action: 'skip', reason: 'needs the demo data (b): apt-get install b' });
  });

  it('fail under CI=true, naming what .ci/run must install', () => {
    const decision = decide([requirement(false, 'a'), requirement(false, 'b')], { CI: 'true' });
    expect(decision.action).toBe('fail');
    expect(decision.action === 'fail' && decision.message).toBe(
      "a, b are not installed, and under CI=true a missing system package fails the tests that need it: .ci/run must run 'apt-get install a' and 'apt-get install b'",
    );
  });

  it('skip under CI=true too when every missing requirement is optional in CI, saying so in the reason', () => {
    const optional = { ...requirement(false, 'python3-demo'), optionalInCi: 'optional, CI installs no demo' };
    expect(decide(optional, { CI: 'true' })).toEqual({ action: 'skip', reason: 'needs the demo data (python3-demo): apt-get install python3-demo (optional, CI installs no demo)' });
    // One required package missing beside it still fails.
    expect(decide([optional, requirement(false, 'b')], { CI: 'true' }).action).toBe('fail');
  });

  it('every requirement names Debian packages and an apt-get command', () => {
    for (const r of SYSTEM_REQUIREMENTS) {
      expect(r.packages.length).toBeGreaterThan(0);
      for (const p of r.packages) expect(r.install).toContain(p);
      expect(typeof r.present()).toBe('boolean');
    }
  });
});

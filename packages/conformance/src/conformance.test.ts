import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LtsslError, type CompileOptions, type DeviceInfo, type Driver, type Executable, type Program } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { runConformance } from './run-conformance.js';

function failures(report: Awaited<ReturnType<typeof runConformance>>): string[] {
  return report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
}

/**
 * A driver that gets one op subtly wrong: the reference, except that every
 * program containing relu returns its float outputs shifted by 1e-3. The suite
 * must catch it wherever relu runs, and nowhere else.
 */
class OffByEpsilonReluDriver implements Driver {
  readonly name = 'broken-relu';
  readonly #inner = new ReferenceDriver();
  init(): Promise<DeviceInfo> {
    return this.#inner.init();
  }
  async compile(program: Program, options?: CompileOptions): Promise<Executable> {
    const executable = await this.#inner.compile(program, options);
    if (!program.graph.nodes.some((n) => n.kind === 'op' && n.op === 'relu')) return executable;
    const run = executable.run.bind(executable);
    executable.run = async (feeds, fetch) => {
      const out = await run(feeds, fetch);
      for (const t of Object.values(out)) if (t.dtype !== 'int32') t.data.forEach((v, i, a) => (a[i] = v + 1e-3));
      return out;
    };
    return executable;
  }
  dispose(): Promise<void> {
    return this.#inner.dispose();
  }
}

/**
 * A driver whose every training update is 2% too long: after each run the
 * float state becomes s0 + 1.02 (s1 - s0). Losses of a first step still
 * match; only the update comparison can catch it.
 */
class LongStepDriver implements Driver {
  readonly name = 'long-step';
  readonly #inner = new ReferenceDriver();
  init(): Promise<DeviceInfo> {
    return this.#inner.init();
  }
  async compile(program: Program, options?: CompileOptions): Promise<Executable> {
    const executable = await this.#inner.compile(program, options);
    const run = executable.run.bind(executable);
    executable.run = async (feeds, fetch) => {
      const before = await executable.readState();
      const out = await run(feeds, fetch);
      const after = await executable.readState();
      for (const [name, t] of Object.entries(after)) if (t.dtype !== 'int32') t.data.forEach((v, i, a) => (a[i] = before[name]!.data[i]! + 1.02 * (v - before[name]!.data[i]!)));
      await executable.writeState(after);
      return out;
    };
    return executable;
  }
  dispose(): Promise<void> {
    return this.#inner.dispose();
  }
}

/** Breaks the Executable contract two ways: fetch lists are ignored, and shareState copies instead of sharing. */
class LooseContractDriver extends ReferenceDriver {
  override async compile(program: Program, options?: CompileOptions): Promise<Executable> {
    const executable = await super.compile(program);
    if (options?.shareState) await executable.writeState(await options.shareState.readState(Object.keys(await executable.readState())));
    const run = executable.run.bind(executable);
    executable.run = (feeds) => run(feeds);
    return executable;
  }
}

/** The reference without a pad kernel: compile must say so, and a known gap turns those checks into skips. */
class NoPadDriver extends ReferenceDriver {
  override async compile(program: Program, options?: CompileOptions): Promise<Executable> {
    if (program.graph.nodes.some((n) => n.kind === 'op' && n.op === 'pad')) throw new LtsslError(ERROR_CODES.opNotImplemented, "Op 'pad' not implemented by driver 'no-pad'");
    return super.compile(program, options);
  }
}

describe('the conformance suite', () => {
  it('passes the reference driver in float64', async () => {
    const report = await runConformance(() => new ReferenceDriver());
    expect(failures(report)).toEqual([]);
    expect(report.skipped).toBe(0);
    expect(report.passed).toBeGreaterThan(300);
  }, 120_000);

  it('passes the reference driver rounding to float32 after every op (a float32 engine within tolerance)', async () => {
    const report = await runConformance(() => new ReferenceDriver({ precision: 'float32' }));
    expect(failures(report)).toEqual([]);
  }, 120_000);

  it('catches a driver whose relu is off by 1e-3, and only where relu runs', async () => {
    const report = await runConformance(() => new OffByEpsilonReluDriver());
    const failed = report.results.filter((r) => r.status === 'failed').map((r) => r.id);
    expect(failed).toContain('op/golden/relu/nchw');
    expect(failed).toContain('op/generated/relu/shape-2x3x5x7');
    expect(failed).toContain('step/supervised-small-cnn');
    expect(failed.every((id) => id.includes('relu') || id.startsWith('step/'))).toBe(true);
  }, 120_000);

  it('catches updates 2% too long in every step case, the ones compared from the reference\'s state included', async () => {
    const report = await runConformance(() => new LongStepDriver(), { filter: (id) => id.startsWith('step/') });
    const results = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(Object.keys(results).sort()).toEqual(['step/byol-small-cnn', 'step/mocov2-small-cnn', 'step/sdclr-small-cnn', 'step/simsiam-small-cnn', 'step/supervised-resnet18', 'step/supervised-small-cnn']);
    for (const r of Object.values(results)) expect(r.status).toBe('failed');
    expect(results['step/supervised-resnet18']!.message).toMatch(/^step 1 from the reference's state: state '.*': the update differs from the reference's by /);
  }, 120_000);

  it('catches an executable that ignores fetch lists or copies shared state', async () => {
    const report = await runConformance(() => new LooseContractDriver(), { filter: (id) => id.startsWith('contract/') });
    const results = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(results['contract/step']).toMatchObject({ status: 'failed', message: "outputs fetched with ['loss']: got [\"loss\",\"x_again\"], want [\"loss\"]" });
    expect(results['contract/share-state']!.status).toBe('failed');
    expect(results['contract/share-state']!.message).toMatch(/^predict after one step .*: got \[6\], want \[-1\]$/);
    expect(results['contract/swap']!.status).toBe('passed');
    expect(results['contract/feeds']!.status).toBe('passed');
  }, 120_000);

  it('reports a missing op by name, and skips known gaps with their reason', async () => {
    const report = await runConformance(() => new NoPadDriver(), { filter: (id) => id.startsWith('op/') });
    const padFailure = report.results.find((r) => r.id === 'op/golden/pad/uneven');
    expect(padFailure).toMatchObject({ status: 'failed', message: "LtsslError: Op 'pad' not implemented by driver 'no-pad'" });
    const gapped = await runConformance(() => new NoPadDriver(), { filter: (id) => id.startsWith('op/'), knownGaps: { 'op/golden/pad': 'no pad kernel yet', 'op/generated/pad': 'no pad kernel yet' } });
    expect(failures(gapped)).toEqual([]);
    expect(gapped.results.filter((r) => r.status === 'skipped').every((r) => r.message === 'no pad kernel yet')).toBe(true);
    expect(gapped.skipped).toBe(5);
  }, 120_000);
});

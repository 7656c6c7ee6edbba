import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../program/program-builder.js';
import { hostTensor } from './host-tensor.js';
import { checkFeeds, checkStateDict, resolveFetch, resolveStateNames } from './run-checks.js';

const program = (() => {
  const b = new ProgramBuilder('probe');
  const x = b.input('x', 'float32', [2, 3]);
  const y = b.input('y', 'int32', [2]);
  const w = b.state({ name: 'w', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 0 }, trainable: true });
  b.output('z', b.op('mul', [x, w], {}));
  b.output('labels', y);
  return b.build();
})();

describe('executable checks', () => {
  const good = { x: hostTensor('float32', [2, 3]), y: hostTensor('int32', [2]) };

  it('accepts matching feeds', () => {
    expect(() => checkFeeds(program, good)).not.toThrow();
  });

  it('names the feed and what was wrong', () => {
    expect(() => checkFeeds(program, { x: good.x })).toThrow("program 'probe': missing feed 'y' (int32[2])");
    expect(() => checkFeeds(program, { ...good, extra: good.y })).toThrow("unknown feed(s) 'extra'; its inputs are x, y");
    expect(() => checkFeeds(program, { ...good, x: hostTensor('float32', [3, 2]) })).toThrow("feed 'x': expected shape [2,3], got [3,2]");
    expect(() => checkFeeds(program, { ...good, y: hostTensor('float32', [2]) })).toThrow("feed 'y': expected dtype int32, got float32");
    expect(() => checkFeeds(program, { ...good, x: { dtype: 'float32', shape: [2, 3], data: new Float64Array(6) } as never })).toThrow('expected data in a Float32Array');
    expect(() => checkFeeds(program, { ...good, x: { dtype: 'float32', shape: [2, 3], data: new Float32Array(5) } })).toThrow('expected 6 elements, got 5');
  });

  it('resolves fetches and state names', () => {
    expect(resolveFetch(program)).toEqual(['z', 'labels']);
    expect(resolveFetch(program, ['labels', 'labels'])).toEqual(['labels']);
    expect(() => resolveFetch(program, ['loss'])).toThrow("cannot fetch 'loss'; its outputs are z, labels");
    expect(resolveStateNames(program)).toEqual(['w']);
    expect(() => resolveStateNames(program, ['v'])).toThrow("no state slot 'v'; its slots are w");
  });

  it('checks state dicts before anything is written', () => {
    expect(() => checkStateDict(program, { w: hostTensor('float32', [3]) })).not.toThrow();
    expect(() => checkStateDict(program, { w: hostTensor('float32', [4]) })).toThrow("state 'w': expected shape [3], got [4]");
    expect(() => checkStateDict(program, { v: hostTensor('float32', [3]) })).toThrow("no state slot 'v'");
  });
});

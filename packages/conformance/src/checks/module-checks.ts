import {
  Adam,
  BatchNorm,
  bindModel,
  commitBuffers,
  compareTensors,
  crossEntropy,
  grad,
  hostTensor,
  l2Normalize,
  Sgd,
  Tracer,
  type Executable,
  type HostTensor,
  type OpCaseTensor,
  type Optimizer,
  type Program,
  type Tensor,
} from '@ltssl/core';
import { loadModuleCases, type ModuleCase } from '../cases/module-cases.js';
import { fail, type Check, type CheckContext } from '../check.js';
import { MODULE_TOLERANCE } from '../tolerances.js';

/** A fixture tensor in the training dtype (float32; int32 stays int32). */
function float32(t: OpCaseTensor): HostTensor {
  return hostTensor(t.dtype === 'int32' ? 'int32' : 'float32', t.shape, t.data);
}

function expectAll(caseName: string, what: string, actual: Record<string, HostTensor>, expected: Readonly<Record<string, OpCaseTensor>>): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (!got) fail(`${caseName}: no ${what} '${name}'`);
    const problem = compareTensors(got, { ...want, dtype: got.dtype }, MODULE_TOLERANCE);
    if (problem) fail(`${caseName}: ${what} '${name}': ${problem}`);
  }
}

/** Traces the case's program: the block, its loss and the gradients the fixture lists. */
function traceCase(c: ModuleCase): Program {
  const tracer = new Tracer(`module:${c.name}`);
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, t]) => [name, tracer.input(name, t.dtype === 'int32' ? 'int32' : 'float32', t.shape)]));
  const outputs = (named: Record<string, Tensor>): void => Object.entries(named).forEach(([name, t]) => tracer.output(name, t));
  if (c.module === 'BatchNorm') {
    const bn = new BatchNorm(c.channels!);
    const vars = bindModel(tracer, bn, { seed: 0 });
    const y = bn.apply(vars, inputs.x!, { training: c.training! });
    const [gx, gw, gb] = grad(y.mul(inputs.r!).sum(), [inputs.x!, vars.get('weight'), vars.get('bias')]);
    outputs({ y, 'grad.x': gx!, 'grad.weight': gw!, 'grad.bias': gb! });
    commitBuffers(tracer, vars);
  } else if (c.name === 'cross-entropy') {
    const loss = crossEntropy(inputs.logits!, inputs.labels!);
    outputs({ loss, 'grad.logits': grad(loss, [inputs.logits!])[0]! });
  } else if (c.name === 'l2-normalize') {
    const y = l2Normalize(inputs.x!);
    outputs({ y, 'grad.x': grad(y.mul(inputs.r!).sum(), [inputs.x!])[0]! });
  } else if (c.optimizer) {
    const w0 = c.state!.w!;
    const w = tracer.state({ name: 'w', dtype: 'float32', shape: w0.shape, init: { kind: 'fill', value: 0 }, trainable: true });
    const lr = tracer.input('lr', 'float32', []);
    const loss = w.sub(inputs.c!).square().mul(inputs.a!).sum().mul(0.5);
    const o = c.optimizer;
    const optimizer: Optimizer =
      o.kind === 'sgd'
        ? new Sgd({ momentum: o.momentum ?? 0, nesterov: o.nesterov ?? false, weightDecay: o.weightDecay ?? 0 })
        : new Adam({ betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? 0 });
    optimizer.step(tracer, [{ name: 'w', value: w, grad: grad(loss, [w])[0]! }], lr);
    tracer.output('loss', loss);
  } else {
    throw new Error(`module case '${c.name}' has no program: add one to module-checks.ts`);
  }
  return tracer.build();
}

async function runCase(ctx: CheckContext, c: ModuleCase): Promise<void> {
  const executable: Executable = await ctx.driver.compile(traceCase(c));
  try {
    if (c.state) await executable.writeState(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, float32(t)])));
    const feeds = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, float32(t)]));
    const lrs = c.lrs ?? [undefined];
    let outputs: Record<string, HostTensor> = {};
    for (const lr of lrs) outputs = await executable.run(lr === undefined ? feeds : { ...feeds, lr: hostTensor('float32', [], [lr]) });
    if (c.expected) expectAll(c.name, 'output', outputs, c.expected);
    if (c.expectedState) expectAll(c.name, 'state', await executable.readState(Object.keys(c.expectedState)), c.expectedState);
  } finally {
    executable.dispose();
  }
}

/**
 * Composite blocks against PyTorch: BatchNorm (train, eval, 1d), cross-entropy,
 * L2 normalisation, SGD and Adam. Core traces them; a driver passes when it runs
 * the traced programs to PyTorch's numbers within float32 tolerance.
 */
export function moduleChecks(): Check[] {
  return loadModuleCases().map((c) => ({ id: `module/${c.name}`, run: (ctx) => runCase(ctx, c) }));
}

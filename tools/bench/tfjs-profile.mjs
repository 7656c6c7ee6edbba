// Where a tfjs training step spends its time (tools/bench/train-step.mjs --drivers tfjs):
// one step under tfjs's profiler gives each kernel's time; the transposes the
// layout pass inserted are timed alone on tensors of their shapes.
import * as tf from '@tensorflow/tfjs-core';

function timeOp(fn, reps = 5) {
  tf.tidy(fn);
  const start = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(fn);
  return (performance.now() - start) / reps;
}

export async function profileStep(executable, feeds) {
  const info = await tf.profile(async () => {
    await executable.run(feeds, ['loss']);
  });
  const kernelMs = info.kernels.reduce((s, k) => s + k.kernelTimeMs, 0);
  // Every Transpose kernel: the layout pass's and those inside the convolution-gradient kernels.
  const transposeMs = info.kernels.filter((k) => k.name === 'Transpose').reduce((s, k) => s + k.kernelTimeMs, 0);
  const converts = executable.plan.steps.filter((s) => s.kind === 'convert' && s.elements > 0);
  let layoutTransposeMs = 0;
  for (const c of converts) {
    const x = tf.zeros(c.conversion.padShape);
    layoutTransposeMs += timeOp(() => tf.transpose(x, c.conversion.perm));
    x.dispose();
  }
  return { kernelMs, transposeShare: transposeMs / kernelMs, layoutTransposes: converts.length, layoutTransposeMs };
}

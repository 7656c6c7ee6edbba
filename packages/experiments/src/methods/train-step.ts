import { applyGradients, grad, globalNorm, minimize, Sgd, Tracer, type GraphPass, type Program, type Tensor } from '@ltssl/core';
import type { EncoderSpec } from '../models/encoder.js';
import type { BatchShape, Method, MethodTrace } from './method.js';
import { innerGradients, innerLoss, samPerturbation, type SamOptions } from './sam.js';

export interface TrainStepOptions {
  readonly encoder: EncoderSpec;
  readonly shape: BatchShape;
  readonly seed: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Wrap the step in SAM / ASAM / rwSAM (rwSAM adds the input 'weights' [B]). */
  readonly sam?: SamOptions;
  /** The graph passes the built Program goes through; default core's GRAPH_PASSES ([]: the graph as traced, for tests of the passes). */
  readonly passes?: readonly GraphPass[];
}

/**
 * SAM's two passes in one Program: the method traced at w (its BatchNorm
 * buffers committed), the inner gradient, the perturbation e, the method
 * traced again at w + e (tracer.substituting; those buffer changes are
 * dropped), and the outer gradient there, applied at w. Returns the outer
 * gradients and the second pass's loss.
 */
function samGradients(method: Method, tracer: Tracer, first: MethodTrace, retrace: () => MethodTrace, sam: SamOptions, weights: Tensor | undefined): { grads: Tensor[]; samLoss: Tensor } {
  const params = first.trained.flatMap((v) => v.parameters());
  const inner = innerLoss(first.loss, first.perExample, weights, method.name);
  const e = samPerturbation(
    params.map((p) => p.value),
    innerGradients(inner, params.map((p) => p.value)),
    sam,
  );
  const perturbed = new Map(params.map((p, i) => [p.name, p.value.add(e[i]!)]));
  const updatesBefore = tracer.updateCount;
  const second = tracer.substituting(perturbed, () => tracer.scope('sam', retrace));
  if (tracer.updateCount !== updatesBefore) {
    throw new Error(`SAM: ${method.name} updates state inside its step (MoCo's queue and key encoder), which a second pass would update twice; use ${method.name} without SAM`);
  }
  return { grads: grad(second.loss, params.map((p) => perturbed.get(p.name)!)), samLoss: second.loss };
}

/**
 * The training step Program of a method. Inputs: 'x' (one view) or 'x1', 'x2'
 * (two views), [B, C, H, W] float32; 'labels' int32 [B] when the method uses
 * labels; 'lr' float32 []; one float32 [] per schedule of the method
 * (scheduledFeeds); with rwSAM, 'weights' float32 [B]. Outputs: 'loss',
 * 'gradNorm' (global L2 norm of the gradients applied, for divergence checks),
 * the method's monitors and, with SAM, 'samLoss' (the loss at w + e).
 */
export function buildTrainStep(method: Method, o: TrainStepOptions): Program {
  const tracer = new Tracer(`${method.name}-train-step`);
  const { batch, channels, height, width } = o.shape;
  const views = method.views === 1 ? [tracer.input('x', 'float32', [batch, channels, height, width])] : [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [batch, channels, height, width]));
  const labels = method.usesLabels ? tracer.input('labels', 'int32', [batch]) : undefined;
  const lr = tracer.input('lr', 'float32', []);
  const weights = o.sam?.reweighted ? tracer.input('weights', 'float32', [batch]) : undefined;
  const scheduled = Object.fromEntries((method.schedules ?? []).map((s) => [s.name, tracer.input(s.name, 'float32', [])]));
  const trace = (): MethodTrace => method.trace({ tracer, encoder: o.encoder, shape: o.shape, seed: o.seed, views, scheduled, ...(labels ? { labels } : {}) });
  const traced = trace();
  const optimizer = new Sgd({ momentum: o.momentum, weightDecay: o.weightDecay });
  let gradNorm: Tensor;
  if (o.sam) {
    const { grads, samLoss } = samGradients(method, tracer, traced, trace, o.sam, weights);
    applyGradients(tracer, traced.trained, grads, optimizer, lr);
    gradNorm = globalNorm(grads);
    tracer.output('samLoss', samLoss);
  } else {
    gradNorm = minimize(tracer, traced.loss, traced.trained, optimizer, lr);
  }
  tracer.output('loss', traced.loss);
  tracer.output('gradNorm', gradNorm);
  for (const [name, value] of Object.entries(traced.monitors ?? {})) tracer.output(name, value);
  return tracer.build(o.passes ? { passes: o.passes } : {});
}

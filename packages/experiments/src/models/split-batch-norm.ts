import { BatchNorm, batchNormalize, type BatchNormOptions, type ModuleContext, type Tensor } from '@ltssl/core';

/**
 * BatchNorm that, in training mode, normalises each of `splits` sub-batches
 * with its own statistics: MoCo's CIFAR demo (facebookresearch/moco,
 * colab/moco_cifar10_demo.ipynb) uses it to simulate the per-GPU BatchNorm of
 * multi-GPU training on one device, which is what makes shuffle-BN work.
 *
 * As the demo's `input.view(N / S, S * C, H, W)`, sample n belongs to sub-batch
 * n mod S. Each sub-batch updates the running statistics as BatchNorm would,
 * and the buffers keep their average over the sub-batches:
 * running = (1 - momentum) running + momentum mean_s(batch stat_s), the variance
 * unbiased within a sub-batch. Eval mode is BatchNorm's (running statistics).
 * Same parameters and buffers as BatchNorm (weight, bias, running_mean,
 * running_var, num_batches_tracked), so a checkpoint reads the same; unlike
 * the demo, whose functional call leaves num_batches_tracked at 0, it counts
 * steps as BatchNorm does.
 */
export class SplitBatchNorm extends BatchNorm {
  constructor(
    channels: number,
    /** Sub-batches S in training mode (MoCo's CIFAR demo: 8); 1 is BatchNorm. */
    readonly splits: number,
    options: BatchNormOptions = {},
  ) {
    super(channels, options);
    if (!Number.isInteger(splits) || splits < 1) throw new Error(`SplitBatchNorm: splits must be a positive integer, got ${splits}`);
  }

  override forward(ctx: ModuleContext, x: Tensor): Tensor {
    if (!ctx.training || this.splits === 1) return super.forward(ctx, x);
    if (x.rank !== 2 && x.rank !== 4) throw new Error(`SplitBatchNorm expects [N, C] or [N, C, H, W], got rank ${x.rank}`);
    const [n, c] = x.shape as [number, number];
    const s = this.splits;
    if (n % s !== 0) throw new Error(`SplitBatchNorm: ${s} splits must divide the batch ${n}; choose a batch that is a multiple of ${s} or fewer splits`);
    const spatial = x.shape.slice(2);
    const grouped = x.reshape([n / s, s, c, ...spatial]); // [N/S, S, C(, H, W)]: sample n in split n mod S
    const axes = x.rank === 4 ? [0, 3, 4] : [0];
    const count = (n / s) * spatial.reduce((a, b) => a * b, 1);
    if (count < 2) throw new Error(`SplitBatchNorm in training mode needs more than one value per channel and split, got input ${JSON.stringify(x.shape)} in ${s} splits`);
    const { output, mean, variance } = batchNormalize(grouped, axes, this.eps); // [N/S, S, C(, H, W)]; [1, S, C(, 1, 1)] x2, variance biased
    const normalised = output.reshape(x.shape); // [N, C(, H, W)]
    const m = this.momentum;
    const splitMean = mean.reshape([s, c]).mean([0]); // [C]
    const splitVar = variance.reshape([s, c]).mean([0]).mul(count / (count - 1)); // [C], unbiased per split
    ctx.set('running_mean', ctx.get('running_mean').mul(1 - m).add(splitMean.mul(m)));
    ctx.set('running_var', ctx.get('running_var').mul(1 - m).add(splitVar.mul(m)));
    ctx.set('num_batches_tracked', ctx.get('num_batches_tracked').add(1));
    if (!this.affine) return normalised;
    const statShape = x.rank === 4 ? [1, c, 1, 1] : [1, c];
    return normalised.mul(ctx.get('weight').reshape(statShape)).add(ctx.get('bias').reshape(statShape));
  }
}

function checkSplits(x: Tensor, splits: number, what: string): number {
  const n = x.shape[0]!;
  if (!Number.isInteger(splits) || splits < 1 || n % splits !== 0) throw new Error(`${what}: ${splits} splits must divide the batch ${n}`);
  return n / splits;
}

/**
 * A fixed batch permutation that mixes the splits of SplitBatchNorm: sample
 * a S + s moves to position s (N/S) + a, i.e. the batch is read column-wise from
 * its [N/S, S] grid, so a split of the shuffled batch draws on every split of
 * the original when S divides N/S (on several otherwise). MoCo's key encoder
 * runs on the shuffled batch, so a query and its key are normalised with
 * different sub-batch statistics (shuffle-BN); `unshuffleAcrossSplits` is the
 * inverse. Example, N = 8, S = 2: order 0 2 4 6 1 3 5 7.
 */
export function shuffleAcrossSplits(x: Tensor, splits: number): Tensor {
  const perSplit = checkSplits(x, splits, 'shuffleAcrossSplits');
  if (splits === 1 || perSplit === 1) return x;
  const features = x.size / x.shape[0]!;
  return x.reshape([perSplit, splits, features]).transpose([1, 0, 2]).reshape(x.shape); // [N, ...]
}

/** The inverse of `shuffleAcrossSplits`: puts row s (N/S) + a back at a S + s. */
export function unshuffleAcrossSplits(x: Tensor, splits: number): Tensor {
  const perSplit = checkSplits(x, splits, 'unshuffleAcrossSplits');
  if (splits === 1 || perSplit === 1) return x;
  const features = x.size / x.shape[0]!;
  return x.reshape([splits, perSplit, features]).transpose([1, 0, 2]).reshape(x.shape); // [N, ...]
}

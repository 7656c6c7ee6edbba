import type { VjpRule } from './vjp-rule.js';

// The derivative at 0 is taken as 0, as PyTorch does. The mask reads the output, y > 0 exactly where
// x > 0, as PyTorch's threshold_backward does: the backward then keeps relu's output, which the next
// layer keeps anyway, and not its input (BatchNorm's output, one more activation-sized tensor a layer:
// 268 MiB of ResNet-18's at batch 128).
export const reluVjp: VjpRule<'relu'> = ({ g, y }) => [g.mul(y.greater(0))];

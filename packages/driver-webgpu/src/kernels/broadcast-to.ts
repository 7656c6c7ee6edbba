import type { Kernel } from './kernel.js';
import { gatherDispatch } from './gather.js';
import { broadcastStrides } from './strides.js';

/** A gather with stride 0 on the broadcast axes. */
export const broadcastToKernel: Kernel<'broadcastTo'> = ({ inputs, output }) => ({
  kind: 'dispatch',
  dispatches: [gatherDispatch('broadcastTo', output.dtype, output.shape, broadcastStrides(inputs[0]!.shape, output.shape), 0)],
});

import { formatShape, type HostTensor } from '@ltssl/core';
import type { EncoderSpec } from '../models/encoder.js';
import { checkpointError, listNames } from './checkpoint-error.js';

const SMALL_CNN_NAME = /^(conv[123]|bn[123])\./;

/**
 * The encoder a bare state_dict ('conv1.weight', 'layer1.0.bn1.running_mean', ...)
 * holds, from its names and shapes: ResNet-18 has 'layer4.1.conv2.weight'; the
 * small CNN has conv1..conv3 and bn1..bn3 only. Width and input channels are
 * conv1.weight's [out, in]. Only the spec is inferred here: checkEncoderState
 * then checks every tensor against it.
 */
export function inferEncoderSpec(file: string, tensors: ReadonlyMap<string, HostTensor>): EncoderSpec {
  const conv1 = tensors.get('conv1.weight');
  if (conv1 === undefined) throw checkpointError(file, `no 'conv1.weight' among the encoder's tensors (${listNames([...tensors.keys()], 5)}); this is not a ResNet-18 or small-CNN state_dict`);
  if (conv1.shape.length !== 4 || conv1.shape[0]! < 1 || conv1.shape[1]! < 1) {
    throw checkpointError(file, `expected a convolution weight [out, in, kh, kw], got shape ${formatShape(conv1.shape)}`, 'conv1.weight');
  }
  const [width, inChannels, kh, kw] = conv1.shape as [number, number, number, number];
  if (tensors.has('layer1.0.conv3.weight')) {
    throw checkpointError(file, `'layer1.0.conv3.weight' means Bottleneck blocks (ResNet-50 or deeper); ltssl's encoders are ResNet-18 with the CIFAR stem and the small CNN`);
  }
  if (tensors.has('layer4.1.conv2.weight')) {
    if (tensors.has('layer1.2.conv1.weight')) throw checkpointError(file, `'layer1.2.conv1.weight' means more than two blocks a stage (ResNet-34 or deeper); ltssl's ResNet is ResNet-18`);
    if (kh !== 3 || kw !== 3) {
      throw checkpointError(
        file,
        `conv1.weight is ${kh}x${kw}: torchvision's ImageNet stem; ltssl's ResNet-18 uses the CIFAR stem (3x3 conv, stride 1, no max-pool), so these weights do not fit it`,
        'conv1.weight',
      );
    }
    return { arch: 'resnet18', width, inChannels };
  }
  const names = [...tensors.keys()];
  if (['conv1', 'conv2', 'conv3'].every((c) => tensors.has(`${c}.weight`)) && names.every((n) => SMALL_CNN_NAME.test(n))) return { arch: 'small-cnn', width, inChannels };
  throw checkpointError(
    file,
    `cannot tell the encoder from its tensors (${listNames(names, 5)}): ResNet-18 has 'layer4.1.conv2.weight', the small CNN has conv1..conv3 and bn1..bn3 only`,
  );
}

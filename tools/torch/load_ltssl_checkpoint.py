#!/usr/bin/python3
"""Loads an ltssl checkpoint into torchvision's ResNet-18 with the CIFAR stem, strictly.

    /usr/bin/python3 tools/torch/load_ltssl_checkpoint.py CHECKPOINT.safetensors [--check FILE] [--save encoder.pth]

ltssl names every encoder tensor as torchvision does ('encoder.layer1.0.conv1.weight' is resnet18's
'layer1.0.conv1.weight'), so the recipe is: take the 'encoder.' tensors, build resnet18 with the
CIFAR stem (3x3 conv1 at stride 1, no max-pool) and no classifier (fc = Identity), and call
load_state_dict(strict=True). The input normalisation the encoder was trained with is in the
checkpoint's metadata ('ltssl.normalization', on the [0, 1] scale): the script prints it as
torchvision's transforms.Normalize. Only a ResNet-18 of width 64 is torchvision's resnet18; the
script says so for another width or ltssl's small CNN.

--check FILE: a safetensors file holding 'images' [B, 3, H, W] (already normalised) and 'features'
[B, 512] that ltssl computed from the same checkpoint; the script runs the torchvision model on the
images in eval mode and exits 1 unless every feature matches within --rtol/--atol.
--save FILE: writes the loaded model's state_dict with torch.save, for code that expects a .pth.
Prints one JSON line: what was loaded, the normalisation and, with --check, the largest difference.
"""
import argparse
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors  # noqa: E402

PREFIX = 'encoder.'


def cifar_resnet18():
    """torchvision's resnet18 with the CIFAR stem the paper's code uses, without the classifier."""
    model = torchvision.models.resnet18()
    model.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = torch.nn.Identity()
    model.fc = torch.nn.Identity()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('checkpoint', help="an ltssl checkpoint (epoch-NNNN.safetensors) of a resnet18 of width 64")
    parser.add_argument('--check', help="a safetensors file of 'images' and the 'features' ltssl computed from them")
    parser.add_argument('--save', help='write the state_dict with torch.save to this .pth file')
    parser.add_argument('--rtol', type=float, default=1e-4)
    parser.add_argument('--atol', type=float, default=1e-4)
    args = parser.parse_args()

    tensors, metadata = read_safetensors(args.checkpoint)
    if 'ltssl.encoder' not in metadata:
        raise SystemExit(f"{args.checkpoint}: no 'ltssl.encoder' metadata; this is not an ltssl checkpoint")
    encoder = json.loads(metadata['ltssl.encoder'])
    if encoder['arch'] != 'resnet18' or encoder['width'] != 64 or encoder['inChannels'] != 3:
        raise SystemExit(
            f"{args.checkpoint}: the encoder is {encoder['arch']} width {encoder['width']} with {encoder['inChannels']} input channels; "
            "torchvision's resnet18 is resnet18 width 64 on 3 channels (train with --arch resnet18 --width 64 on RGB data)"
        )
    state = {name[len(PREFIX):]: t for name, t in tensors.items() if name.startswith(PREFIX)}
    # ltssl stores num_batches_tracked as int32; torchvision's buffer is int64.
    state = {name: t.long() if name.endswith('num_batches_tracked') else t for name, t in state.items()}
    model = cifar_resnet18()
    model.load_state_dict(state, strict=True)
    model.eval()
    normalization = json.loads(metadata['ltssl.normalization']) if 'ltssl.normalization' in metadata else None
    out = {
        'loaded': len(state),
        'model': 'torchvision.models.resnet18, conv1 3x3 stride 1, maxpool Identity, fc Identity',
        'normalize': f"transforms.Normalize(mean={normalization['mean']}, std={normalization['std']})" if normalization else None,
    }
    if args.check:
        check, _ = read_safetensors(args.check)
        with torch.no_grad():
            got = model(check['images'].float()).double()
        expected = check['features'].double()
        if got.shape != expected.shape:
            raise SystemExit(f'--check: torchvision gives features {list(got.shape)}, the file holds {list(expected.shape)}')
        difference = (got - expected).abs()
        out['features'] = list(got.shape)
        out['max_abs_difference'] = difference.max().item()
        out['match'] = bool(torch.all(difference <= args.atol + args.rtol * expected.abs()).item())
    if args.save:
        torch.save(model.state_dict(), args.save)
        out['saved'] = args.save
    print(json.dumps(out))
    if args.check and not out['match']:
        sys.exit(1)


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Converts a PyTorch .pth / .pt state_dict to safetensors, for `ltssl eval` and `ltssl export`.

    /usr/bin/python3 tools/torch/pth_to_safetensors.py MODEL.pth MODEL.safetensors [--key state_dict]

The file is read with torch.load(weights_only=True), which loads tensors and plain containers
only and refuses to run the code a pickle can carry. A training checkpoint that nests the model
(a dict with 'state_dict' or 'model' holding it, as many training scripts save) is unwrapped by
--key, or by those two names when --key is not given. Every tensor is written under its own name;
ltssl then finds the encoder under a 'module.', 'encoder.', 'backbone.' or 'encoder_q.' prefix.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import write_safetensors  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('source', help='a .pth / .pt file written by torch.save')
    parser.add_argument('target', help='the .safetensors file to write')
    parser.add_argument('--key', help="the entry of a checkpoint dict that holds the state_dict (default: 'state_dict', then 'model')")
    args = parser.parse_args()
    try:
        loaded = torch.load(args.source, map_location='cpu', weights_only=True)
    except Exception as error:  # torch raises several types for a file it cannot read safely
        raise SystemExit(f'{args.source}: torch.load(weights_only=True) failed: {error}')
    keys = [args.key] if args.key else ['state_dict', 'model']
    while isinstance(loaded, dict) and not all(torch.is_tensor(v) for v in loaded.values()):
        key = next((k for k in keys if k in loaded), None)
        if key is None:
            raise SystemExit(f"{args.source}: a dict of {sorted(map(str, loaded))[:8]}, not a state_dict of tensors; name the entry that holds it with --key")
        loaded = loaded[key]
    if not isinstance(loaded, dict):
        raise SystemExit(f'{args.source}: holds a {type(loaded).__name__}, not a state_dict')
    write_safetensors(args.target, {name: t for name, t in loaded.items()}, {'format': 'pt', 'converted_from': os.path.basename(args.source)})
    print(f'wrote {args.target}: {len(loaded)} tensors from {args.source}')


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""One PyTorch training step (forward, backward, SGD) timed like tools/bench/train-step.mjs times ltssl.

Usage: /usr/bin/python3 tools/bench/torch_step.py MODEL BATCH WARMUP STEPS THREADS [DEVICE]
DEVICE is cpu (default) or cuda; on cuda TF32 is off (float32 arithmetic, as ltssl's kernels use)
and each timing waits for the GPU.
Prints one JSON line: {"msPerStep", "imagesPerSecond", "peakRssMiB"}.
The models mirror ltssl's: SmallCnn (3x3 conv-BN-ReLU x3, widths 32/64/128, strides 1/2/2,
global average pool) and ResNet-18 with the CIFAR stem, each with a 10-way linear head;
SGD momentum 0.9, weight decay 5e-4, float32, NCHW.
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def small_cnn():
    layers, c = [], 3
    for i, w in enumerate([32, 64, 128]):
        layers += [nn.Conv2d(c, w, 3, 1 if i == 0 else 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
        c = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def resnet18():
    import torchvision
    m = torchvision.models.resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


def main():
    model_name, batch, warmup, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    device = sys.argv[6] if len(sys.argv) > 6 else 'cpu'
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if device == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    model = (small_cnn() if model_name == 'small-cnn' else resnet18()).to(device)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(batch, 3, 32, 32).to(device)
    y = torch.randint(0, 10, (batch,)).to(device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    sync()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    seconds = (time.perf_counter() - start) / steps
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'msPerStep': seconds * 1000, 'imagesPerSecond': batch / seconds, 'peakRssMiB': peak}))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""One quick-preset study cell in PyTorch, written as a PyTorch user would, timed by phase like ltssl's.

Usage: /usr/bin/python3 tools/bench/torch_cell.py PLAN.json
PLAN.json (written by tools/bench/cell-worker.mjs --plan) names the data files, the cell's subset and
probe rows (the same images ltssl uses), the normalisation constants and the method's settings.
Prints one JSON line: {"phases": {phase: ms}, "cellSeconds", "metrics", "peakRssMiB"} (the caller times the process).

The cell (packages/experiments/src/study/imbalance/run-imbalance-cell.ts and cell-evaluation.ts):
pre-train the small CNN (3x3 conv-BN-ReLU x3, widths w/2w/4w, strides 1/2/2, global average pool) on
the long-tailed subset with torchvision transforms on tensors (SimSiam's CIFAR set for SimCLR, crop
0.8-1 + flip for supervised), SGD with a per-step cosine schedule, a checkpoint every 5 epochs; then
features of the balanced train split and the test split, a linear probe on standardised cached
features, weighted kNN, the few-shot probe and the MNIST linear probe; the result written as JSON.
"""
import gzip
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(folder, prefix):
    def find(kind):
        for name in (f'{prefix}-{kind}-idx{3 if kind == "images" else 1}-ubyte.gz', f'{prefix}-{kind}-idx{3 if kind == "images" else 1}-ubyte'):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise FileNotFoundError(f'{folder}: no {prefix} {kind}')
    images = torch.from_numpy(read_idx(find('images')).copy()).unsqueeze(1)  # uint8 [N, 1, 28, 28]
    labels = torch.from_numpy(read_idx(find('labels')).astype(np.int64))
    return images, labels


class SmallCnn(nn.Module):
    def __init__(self, in_channels, width):
        super().__init__()
        layers, c = [], in_channels
        for i, w in enumerate([width, 2 * width, 4 * width]):
            layers += [nn.Conv2d(c, w, 3, 1 if i == 0 else 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            c = w
        self.features = nn.Sequential(*layers)
        self.dim = c

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


class Augmented(Dataset):
    """The subset's images as float tensors in [0, 1], `views` augmented views each (and the label)."""

    def __init__(self, images, labels, transform, views):
        self.images, self.labels, self.transform, self.views = images, labels, transform, views

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = self.images[i].float().div(255)
        views = [self.transform(x) for _ in range(self.views)]
        return (*views, self.labels[i])


def nt_xent(z, temperature):
    z = F.normalize(z, dim=1)
    n = z.shape[0]
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float('-inf'))
    targets = torch.arange(n).roll(n // 2)  # view 1's image i is view 2's row i + B, and back
    return F.cross_entropy(sim, targets)


def features_of(encoder, images, mean, std, batch=256):
    out = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            x = (images[start:start + batch].float().div(255) - mean) / std
            out.append(encoder(x))
    return torch.cat(out)


def linear_probe(train_x, train_y, test_x, test_y, classes, epochs, seed, batch=256, lr=0.1):
    mean, std = train_x.mean(0), train_x.std(0, unbiased=False)
    train_x, test_x = (train_x - mean) / (std + 1e-8), (test_x - mean) / (std + 1e-8)
    torch.manual_seed(seed)
    head = nn.Linear(train_x.shape[1], classes)
    batch = min(batch, len(train_x))
    steps = len(train_x) // batch
    opt = torch.optim.SGD(head.parameters(), lr=lr, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps)
    for _ in range(epochs):
        order = torch.randperm(len(train_x))
        for s in range(steps):
            rows = order[s * batch:(s + 1) * batch]
            loss = F.cross_entropy(head(train_x[rows]), train_y[rows])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    with torch.no_grad():
        return (head(test_x).argmax(1) == test_y).float().mean().item()


def knn(bank, bank_y, queries, query_y, k, temperature, classes, rows=256):
    bank = F.normalize(bank, dim=1)
    queries = F.normalize(queries, dim=1)
    correct = 0
    for start in range(0, len(queries), rows):
        sim = queries[start:start + rows] @ bank.t()
        value, index = sim.topk(k, dim=1)
        votes = torch.zeros(len(sim), classes).scatter_add_(1, bank_y[index], (value / temperature).exp())
        correct += (votes.argmax(1) == query_y[start:start + rows]).sum().item()
    return correct / len(queries)


class Phases:
    def __init__(self):
        self.ms = {}

    def add(self, phase, start):
        self.ms[phase] = self.ms.get(phase, 0.0) + (time.perf_counter() - start) * 1000


def main():
    plan = json.load(open(sys.argv[1]))
    torch.set_num_threads(plan['threads'])
    torch.manual_seed(plan['seed'])
    phases = Phases()
    train_images, train_labels = load_split(plan['data']['folder'], 'train')
    test_images, test_labels = load_split(plan['data']['folder'], 't10k')
    ood_train_images, ood_train_labels = load_split(plan['ood']['folder'], 'train')
    ood_test_images, ood_test_labels = load_split(plan['ood']['folder'], 't10k')
    mean = torch.tensor(plan['data']['mean']).view(-1, 1, 1)
    std = torch.tensor(plan['data']['std']).view(-1, 1, 1)
    ood_mean = torch.tensor(plan['ood']['mean']).view(-1, 1, 1)
    ood_std = torch.tensor(plan['ood']['std']).view(-1, 1, 1)
    cell_start = time.perf_counter()

    method = plan['method']
    size = train_images.shape[-1]
    if method == 'simclr':
        transform = T.Compose([
            T.RandomResizedCrop(size, scale=(0.2, 1.0), antialias=True),
            T.RandomHorizontalFlip(),
            T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
            T.RandomGrayscale(p=0.2),
            T.Normalize(plan['data']['mean'], plan['data']['std']),
        ])
    else:
        transform = T.Compose([T.RandomResizedCrop(size, scale=(0.8, 1.0), antialias=True), T.RandomHorizontalFlip(), T.Normalize(plan['data']['mean'], plan['data']['std'])])
    subset = torch.tensor(plan['subset'])
    views = 2 if method == 'simclr' else 1
    loader = DataLoader(Augmented(train_images[subset], train_labels[subset], transform, views), batch_size=plan['batch'], shuffle=True, drop_last=True, num_workers=plan.get('loaderWorkers', 0))

    encoder = SmallCnn(1, plan['width'])
    if method == 'simclr':
        head = nn.Sequential(nn.Linear(encoder.dim, plan['projectorHiddenDim']), nn.ReLU(inplace=True), nn.Linear(plan['projectorHiddenDim'], plan['projectorDim']))
    else:
        head = nn.Linear(encoder.dim, 10)
    model = nn.Sequential(encoder, head)
    opt = torch.optim.SGD(model.parameters(), lr=plan['lr'], momentum=plan['momentum'], weight_decay=plan['weightDecay'])
    epochs = plan['epochs']
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * len(loader))
    checkpoints = tempfile.mkdtemp(prefix='torch-cell-')
    model.train()
    for epoch in range(epochs):
        batches = iter(loader)
        while True:
            t = time.perf_counter()
            try:
                batch = next(batches)
            except StopIteration:
                phases.add('augmentation', t)
                break
            phases.add('augmentation', t)
            t = time.perf_counter()
            if method == 'simclr':
                x1, x2, _ = batch
                loss = nt_xent(model(torch.cat([x1, x2])), plan['temperature'])
            else:
                x, y = batch
                loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            if not math.isfinite(loss.item()):
                raise RuntimeError(f'loss diverged at epoch {epoch}')
            phases.add('step', t)
        if (epoch + 1) % plan['checkpointEvery'] == 0 or epoch + 1 == epochs:
            t = time.perf_counter()
            torch.save({'epoch': epoch + 1, 'model': model.state_dict(), 'optimizer': opt.state_dict()}, os.path.join(checkpoints, f'epoch-{epoch + 1}.pt'))
            phases.add('checkpoint', t)

    encoder.eval()
    t = time.perf_counter()
    balanced = torch.tensor(plan['probeTrain'])
    probe_train = features_of(encoder, train_images[balanced], mean, std)
    probe_test = features_of(encoder, test_images, mean, std)
    phases.add('features', t)
    probe_train_y, test_y = train_labels[balanced], test_labels
    metrics = {}
    t = time.perf_counter()
    metrics['id.linear'] = linear_probe(probe_train, probe_train_y, probe_test, test_y, 10, plan['probeEpochs'], plan['seed'])
    phases.add('probes', t)
    t = time.perf_counter()
    metrics['id.knn'] = knn(probe_train, probe_train_y, probe_test, test_y, plan['knnK'], 0.07, 10)
    phases.add('knn', t)
    t = time.perf_counter()
    for shots in plan['fewShot']:
        rows = torch.cat([(probe_train_y == c).nonzero().flatten()[:shots] for c in range(10)])
        metrics[f'id.fewshot{shots}'] = linear_probe(probe_train[rows], probe_train_y[rows], probe_test, test_y, 10, plan['probeEpochs'], plan['seed'])
    phases.add('probes', t)
    t = time.perf_counter()
    ood_rows = torch.tensor(plan['oodTrain'])
    ood_train = features_of(encoder, ood_train_images[ood_rows], ood_mean, ood_std)
    ood_test = features_of(encoder, ood_test_images, ood_mean, ood_std)
    phases.add('features', t)
    t = time.perf_counter()
    metrics['ood.linear'] = linear_probe(ood_train, ood_train_labels[ood_rows], ood_test, ood_test_labels, 10, plan['probeEpochs'], plan['seed'])
    phases.add('probes', t)

    t = time.perf_counter()
    result = os.path.join(checkpoints, 'result.json')
    with open(result + '.tmp', 'w') as f:
        json.dump({'method': method, 'metrics': metrics}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(result + '.tmp', result)
    phases.add('store', t)
    cell_seconds = time.perf_counter() - cell_start
    print(json.dumps({
        'phases': phases.ms,
        'cellSeconds': cell_seconds,
        'metrics': metrics,
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
    shutil.rmtree(checkpoints)


if __name__ == '__main__':
    main()

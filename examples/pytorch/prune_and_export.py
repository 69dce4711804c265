#!/usr/bin/env python3
"""Train a 784-128-10 network on Fashion-MNIST in PyTorch, prune it to 10% of its
weights, fine-tune it with the pruning masks in place, and export it to ONNX for
`snnc import`.

    python prune_and_export.py [--data DIR] [--out mlp.onnx]

DIR holds the IDX files (train-images-idx3-ubyte.gz, ...), by default Debian's
`dataset-fashion-mnist` package. Pixels are taken as p / 256, as snnc reads them.
The output is a sigmoid trained with binary cross-entropy against one-hot labels,
the cost snnc's `cross_entropy` trains on chip. Needs torch, onnx and numpy
(and onnxscript for PyTorch's newer exporter, not used here).
"""

import argparse
import gzip
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune


def idx(path: str) -> np.ndarray:
    """An IDX file (optionally gzipped) as a NumPy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data: str, split: str):
    name = {"train": "train", "test": "t10k"}[split]
    find = lambda kind: next(
        os.path.join(data, f) for f in (f"{name}-{kind}", f"{name}-{kind}.gz") if os.path.exists(os.path.join(data, f))
    )
    x = torch.from_numpy(idx(find("images-idx3-ubyte")).astype(np.float32) / 256.0)
    y = torch.from_numpy(idx(find("labels-idx1-ubyte")).astype(np.int64))
    return x, y


def epoch(model, optimiser, x, y, batch=64):
    model.train()
    order = torch.randperm(len(x))
    for i in range(0, len(x), batch):
        at = order[i: i + batch]
        target = nn.functional.one_hot(y[at], 10).float()
        loss = nn.functional.binary_cross_entropy(model(x[at]), target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()


def accuracy(model, x, y) -> float:
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default="mlp.onnx")
    args = parser.parse_args()
    torch.manual_seed(1)
    x, y = load(args.data, "train")
    xt, yt = load(args.data, "test")

    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Sigmoid())
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(3):
        epoch(model, optimiser, x, y)
    print(f"dense: test accuracy {accuracy(model, xt, yt):.2%}")

    # Keep the largest 10% of each layer's weights, fine-tune with the masks in place,
    # then make the zeros permanent so that the exported matrices hold them.
    linears = [m for m in model if isinstance(m, nn.Linear)]
    prune.global_unstructured([(m, "weight") for m in linears], pruning_method=prune.L1Unstructured, amount=0.9)
    for _ in range(2):
        epoch(model, optimiser, x, y)
    for m in linears:
        prune.remove(m, "weight")
    kept = sum(int((m.weight != 0).sum()) for m in linears)
    total = sum(m.weight.numel() for m in linears)
    print(f"pruned to {kept} of {total} weights ({kept / total:.1%}): test accuracy {accuracy(model, xt, yt):.2%}")

    model.eval()
    torch.onnx.export(
        model,
        (torch.zeros(1, 28, 28),),
        args.out,
        input_names=["image"],
        output_names=["scores"],
        dynamic_axes={"image": {0: "N"}, "scores": {0: "N"}},
        opset_version=13,
        dynamo=False,
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

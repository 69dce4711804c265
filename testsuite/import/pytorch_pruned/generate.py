#!/usr/bin/env python3
"""Generate the `pytorch_pruned` fixtures for `snnc import`.

A small MNIST-shaped MLP is built in PyTorch, its weights are drawn from a
normal distribution with a fixed seed, each Linear layer is magnitude-pruned
to ~10% density with ``torch.nn.utils.prune.l1_unstructured(amount=0.9)`` and
the pruning is made permanent with ``prune.remove`` (the zeros are baked into
the weight tensors).  The network is then exported with ``torch.onnx.export``
(the TorchScript exporter, ``dynamo=False``, which writes Flatten/Gemm nodes)
at opset 13 and at opset 11.

Files written (into the current directory):

    model.onnx          opset 13, input "input" (N, 28, 28) float32, dynamic N
    model_opset11.onnx  the same network exported at opset 11
    model_dynamo.onnx   the same network from the dynamo exporter (PyTorch 2.9's
                        default), opset 18: Reshape(allowzero=1) instead of Flatten
    inputs.npy          (8, 28, 28) float32 in [0, 1), fixed seed
    expected.npy        (8, 10) float32, onnxruntime's outputs for model.onnx

Environment (outside the repository):

    python3 -m venv ~/.venvs/snnc-import
    ~/.venvs/snnc-import/bin/pip install numpy onnx onnxruntime
    ~/.venvs/snnc-import/bin/pip install torch onnxscript

Run from this directory:

    cd testsuite/import/pytorch_pruned && ~/.venvs/snnc-import/bin/python generate.py

The checked-in .onnx/.npy files are what the tests use; this script is only
needed to remake them.
"""

import os

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

TORCH_SEED = 20240601   # seed for the weights
INPUT_SEED = 7          # seed for the test inputs (NumPy)
N_SAMPLES = 8


def build_model() -> nn.Sequential:
    """Build the network, initialise it normally and prune it to ~10%."""
    torch.manual_seed(TORCH_SEED)
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
        nn.Sigmoid(),
    )
    for layer in model:
        if isinstance(layer, nn.Linear):
            # Normal initialisation scaled by fan-in.  The factor 2 makes up
            # for the 90% of weights that pruning removes, so that the
            # outputs spread over the sigmoid instead of all sitting at 0.5.
            # Biases are small but non-zero.
            fan_in = layer.in_features
            nn.init.normal_(layer.weight, mean=0.0, std=2.0 / np.sqrt(fan_in))
            nn.init.normal_(layer.bias, mean=0.0, std=0.05)
            # Keep the 10% of weights with the largest magnitude ...
            prune.l1_unstructured(layer, name="weight", amount=0.9)
            # ... and make it permanent: weight = weight_orig * weight_mask.
            prune.remove(layer, "weight")
    model.eval()
    return model


def export(model: nn.Module, path: str, opset: int) -> None:
    """Export with the classic TorchScript exporter, batch axis dynamic."""
    dummy = torch.zeros(1, 28, 28, dtype=torch.float32)
    torch.onnx.export(
        model,
        (dummy,),
        path,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
        opset_version=opset,
        do_constant_folding=True,
        dynamo=False,
    )
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = [n.op_type for n in m.graph.node]
    print(f"{path}: opset {m.opset_import[0].version}, nodes {ops}")


def export_dynamo(model: nn.Module, path: str) -> None:
    """Export with the dynamo exporter, the default since PyTorch 2.9."""
    dummy = torch.zeros(1, 28, 28, dtype=torch.float32)
    torch.onnx.export(
        model,
        (dummy,),
        path,
        input_names=["input"],
        output_names=["output"],
        dynamic_shapes=({0: torch.export.Dim("N")},),
        opset_version=18,
        dynamo=True,
        external_data=False,
    )
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = [n.op_type for n in m.graph.node]
    print(f"{path}: opset {m.opset_import[0].version}, nodes {ops}")


def run_ort(path: str, x: np.ndarray) -> np.ndarray:
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (y,) = sess.run(None, {sess.get_inputs()[0].name: x})
    return y


def main() -> None:
    model = build_model()

    # Report the exact number of non-zero weights per layer.
    for i, layer in enumerate(model):
        if isinstance(layer, nn.Linear):
            w = layer.weight.detach()
            nnz = int((w != 0).sum())
            print(f"layer {i} Linear{tuple(w.shape[::-1])}: "
                  f"{nnz} / {w.numel()} non-zero weights "
                  f"({100.0 * nnz / w.numel():.2f}%), "
                  f"{int((layer.bias != 0).sum())} non-zero biases")

    export(model, "model.onnx", 13)
    export(model, "model_opset11.onnx", 11)
    export_dynamo(model, "model_dynamo.onnx")

    rng = np.random.default_rng(INPUT_SEED)
    x = rng.random((N_SAMPLES, 28, 28), dtype=np.float32)
    np.save("inputs.npy", x)

    y13 = run_ort("model.onnx", x)
    y11 = run_ort("model_opset11.onnx", x)
    y18 = run_ort("model_dynamo.onnx", x)
    with torch.no_grad():
        yt = model(torch.from_numpy(x)).numpy()
    assert y13.shape == (N_SAMPLES, 10) and y13.dtype == np.float32
    # Both opsets must give the same numbers, and agree with PyTorch.
    assert np.array_equal(y13, y11), np.abs(y13 - y11).max()
    assert np.array_equal(y13, y18), np.abs(y13 - y18).max()
    assert np.allclose(y13, yt, atol=1e-6), np.abs(y13 - yt).max()
    np.save("expected.npy", y13)
    print("expected.npy", y13.shape, "max |ort-torch| =",
          float(np.abs(y13 - yt).max()))
    for f in ("model.onnx", "model_opset11.onnx", "model_dynamo.onnx", "inputs.npy", "expected.npy"):
        print(f"{f}: {os.path.getsize(f)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate the `keras_dense` fixtures for `snnc import`.

A Keras-style stack of two Dense layers, written directly with
``onnx.helper`` (no TensorFlow needed) in the shape that tf2onnx gives a
``tf.keras.Sequential([Dense(32, "relu"), Dense(8, "sigmoid")])``:
``MatMul`` with the kernel in Keras layout (in x out), ``Add`` of the bias,
then the activation; node and tensor names follow tf2onnx
("sequential/dense/MatMul", "sequential/dense/BiasAdd", ...).

    x (N, 64) -> MatMul W1 (64, 32) -> Add b1 (32,) -> Relu
              -> MatMul W2 (32, 8)  -> Add b2 (8,)  -> Sigmoid -> dense_1 (N, 8)

W1 has exactly 25% non-zero entries (512 of 2048, random positions); W2 is
dense.  Two Gemm variants of the same weights are written as well:

    gemm.onnx        Gemm(transB=1, alpha=1.0, beta=1.0), W stored as
                     out x in (PyTorch layout) -- same outputs as model.onnx
    gemm_alpha.onnx  Gemm(transB=1, alpha=0.5, beta=2.0) with the SAME stored
                     W and b, so every layer computes 0.5*x*W^T + 2.0*b and
                     the outputs differ from model.onnx: an importer that
                     ignores alpha or beta gets the wrong answer.

Files written (into the current directory):

    model.onnx, gemm.onnx, gemm_alpha.onnx
    inputs.npy               (8, 64) float32 in [0, 1), fixed seed
    expected.npy             (8, 8) float32, onnxruntime on model.onnx
    expected_gemm.npy        (8, 8) float32, onnxruntime on gemm.onnx
    expected_gemm_alpha.npy  (8, 8) float32, onnxruntime on gemm_alpha.onnx

Environment (outside the repository):

    python3 -m venv ~/.venvs/snnc-import
    ~/.venvs/snnc-import/bin/pip install numpy onnx onnxruntime

Run from this directory:

    cd testsuite/import/keras_dense && ~/.venvs/snnc-import/bin/python generate.py

``make_weights()`` is also imported by ../qonnx_quant/generate.py so that the
quantised network uses exactly these weights.

The checked-in .onnx/.npy files are what the tests use; this script is only
needed to remake them.
"""

import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

WEIGHT_SEED = 1234   # seed for W1, b1, W2, b2
INPUT_SEED = 99      # seed for the test inputs
N_SAMPLES = 8
N_IN, N_HID, N_OUT = 64, 32, 8
W1_NONZERO = N_IN * N_HID // 4   # 25% of 2048 = 512

OPSET = 13        # tf2onnx's default opset for many releases
IR_VERSION = 7    # the IR version that goes with opset 13
PRODUCER = "snnc testsuite/import (tf2onnx-style, onnx.helper)"


def make_weights():
    """Return (W1, b1, W2, b2) as float32, Keras layout (in x out)."""
    rng = np.random.default_rng(WEIGHT_SEED)
    w1 = rng.normal(0.0, 0.5, size=(N_IN, N_HID)).astype(np.float32)
    # Keep exactly W1_NONZERO entries at random positions, zero the rest.
    mask = np.zeros(N_IN * N_HID, dtype=bool)
    mask[rng.permutation(N_IN * N_HID)[:W1_NONZERO]] = True
    w1 = np.where(mask.reshape(N_IN, N_HID), w1, np.float32(0.0))
    w1 = w1.astype(np.float32)
    b1 = rng.normal(0.0, 0.1, size=(N_HID,)).astype(np.float32)
    w2 = rng.normal(0.0, 0.3, size=(N_HID, N_OUT)).astype(np.float32)
    b2 = rng.normal(0.0, 0.1, size=(N_OUT,)).astype(np.float32)
    return w1, b1, w2, b2


def make_inputs() -> np.ndarray:
    rng = np.random.default_rng(INPUT_SEED)
    return rng.random((N_SAMPLES, N_IN), dtype=np.float32)


def io_infos():
    """Graph input "x" and output "dense_1", batch dimension symbolic."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", N_IN])
    y = helper.make_tensor_value_info("dense_1", TensorProto.FLOAT,
                                      ["N", N_OUT])
    return x, y


def finish(graph: onnx.GraphProto, path: str) -> onnx.ModelProto:
    """Wrap a graph in a model, check it fully and save it."""
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER,
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return model


def build_matmul_add(w1, b1, w2, b2) -> onnx.GraphProto:
    """The tf2onnx form: MatMul + Add (BiasAdd) + activation per Dense."""
    nodes, inits = [], []
    prev = "x"
    layers = [("dense", w1, b1, "Relu"), ("dense_1", w2, b2, "Sigmoid")]
    for i, (name, w, b, act) in enumerate(layers):
        scope = f"sequential/{name}"
        w_name = f"{scope}/MatMul/ReadVariableOp:0"
        b_name = f"{scope}/BiasAdd/ReadVariableOp:0"
        inits += [numpy_helper.from_array(w, w_name),
                  numpy_helper.from_array(b, b_name)]
        nodes.append(helper.make_node("MatMul", [prev, w_name],
                                      [f"{scope}/MatMul:0"],
                                      name=f"{scope}/MatMul"))
        nodes.append(helper.make_node("Add", [f"{scope}/MatMul:0", b_name],
                                      [f"{scope}/BiasAdd:0"],
                                      name=f"{scope}/BiasAdd"))
        last = i == len(layers) - 1
        out = "dense_1" if last else f"{scope}/{act}:0"
        nodes.append(helper.make_node(act, [f"{scope}/BiasAdd:0"], [out],
                                      name=f"{scope}/{act}"))
        prev = out
    x, y = io_infos()
    return helper.make_graph(nodes, "sequential", [x], [y], inits)


def build_gemm(w1, b1, w2, b2, alpha: float, beta: float) -> onnx.GraphProto:
    """The same stack with one Gemm per Dense, W stored as out x in."""
    nodes, inits = [], []
    prev = "x"
    layers = [("dense", w1, b1, "Relu"), ("dense_1", w2, b2, "Sigmoid")]
    for i, (name, w, b, act) in enumerate(layers):
        scope = f"sequential/{name}"
        w_name = f"{scope}/MatMul/ReadVariableOp:0"
        b_name = f"{scope}/BiasAdd/ReadVariableOp:0"
        # PyTorch layout: (out, in); the Gemm multiplies by its transpose.
        wt = np.ascontiguousarray(w.T)
        inits += [numpy_helper.from_array(wt, w_name),
                  numpy_helper.from_array(b, b_name)]
        nodes.append(helper.make_node(
            "Gemm", [prev, w_name, b_name], [f"{scope}/BiasAdd:0"],
            name=f"{scope}/Gemm", transB=1, alpha=alpha, beta=beta))
        last = i == len(layers) - 1
        out = "dense_1" if last else f"{scope}/{act}:0"
        nodes.append(helper.make_node(act, [f"{scope}/BiasAdd:0"], [out],
                                      name=f"{scope}/{act}"))
        prev = out
    x, y = io_infos()
    return helper.make_graph(nodes, "sequential", [x], [y], inits)


def run_ort(path: str, x: np.ndarray) -> np.ndarray:
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (y,) = sess.run(None, {"x": x})
    assert y.dtype == np.float32 and y.shape == (x.shape[0], N_OUT)
    return y


def reference(x, w1, b1, w2, b2, alpha=1.0, beta=1.0) -> np.ndarray:
    """Plain NumPy forward pass (float64), for a sanity check only."""
    x, w1, b1, w2, b2 = (a.astype(np.float64) for a in (x, w1, b1, w2, b2))
    h = np.maximum(alpha * (x @ w1) + beta * b1, 0.0)
    z = alpha * (h @ w2) + beta * b2
    return 1.0 / (1.0 + np.exp(-z))


def main() -> None:
    w1, b1, w2, b2 = make_weights()
    print(f"W1 {w1.shape}: {np.count_nonzero(w1)} / {w1.size} non-zero")
    print(f"W2 {w2.shape}: {np.count_nonzero(w2)} / {w2.size} non-zero")
    print(f"b1: {np.count_nonzero(b1)} / {b1.size}, "
          f"b2: {np.count_nonzero(b2)} / {b2.size} non-zero")

    finish(build_matmul_add(w1, b1, w2, b2), "model.onnx")
    finish(build_gemm(w1, b1, w2, b2, 1.0, 1.0), "gemm.onnx")
    finish(build_gemm(w1, b1, w2, b2, 0.5, 2.0), "gemm_alpha.onnx")

    x = make_inputs()
    np.save("inputs.npy", x)

    outputs = {
        "expected.npy": ("model.onnx", 1.0, 1.0),
        "expected_gemm.npy": ("gemm.onnx", 1.0, 1.0),
        "expected_gemm_alpha.npy": ("gemm_alpha.onnx", 0.5, 2.0),
    }
    results = {}
    for npy, (onnx_path, alpha, beta) in outputs.items():
        y = run_ort(onnx_path, x)
        ref = reference(x, w1, b1, w2, b2, alpha, beta)
        assert np.allclose(y, ref, atol=1e-5), np.abs(y - ref).max()
        np.save(npy, y)
        results[npy] = y
        print(f"{npy}: from {onnx_path}, max |ort-numpy| = "
              f"{np.abs(y - ref).max():.2e}")

    # MatMul+Add and Gemm(transB) must agree; alpha/beta must change things.
    assert np.allclose(results["expected.npy"], results["expected_gemm.npy"],
                       atol=1e-6)
    diff = np.abs(results["expected.npy"]
                  - results["expected_gemm_alpha.npy"]).max()
    assert diff > 0.01, diff
    print(f"max |expected - expected_gemm_alpha| = {diff:.3f}")

    for f in sorted(os.listdir(".")):
        if f.endswith((".onnx", ".npy")):
            print(f"{f}: {os.path.getsize(f)} bytes")


if __name__ == "__main__":
    main()

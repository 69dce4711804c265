#!/usr/bin/env python3
"""Generate the `errors` fixtures for `snnc import`: one small file per
unsupported case, named after the error code snnc must report.

Each model is otherwise within what snnc supports (input "x" of shape
(N, K) or (N, H, W), float32 initializers, opset 13), so that the named
problem is the only thing wrong with it -- see README.md in this directory
for the list.  Every file except E1100_not_onnx.onnx is a valid ONNX model:
each is checked with ``onnx.checker.check_model(full_check=True)`` (the
QONNX one too -- the checker accepts the custom domain) and, where
onnxruntime knows all its ops, loaded and run once with onnxruntime.

Environment (outside the repository):

    python3 -m venv ~/.venvs/snnc-import
    ~/.venvs/snnc-import/bin/pip install numpy onnx onnxruntime

Run from this directory:

    cd testsuite/import/errors && ~/.venvs/snnc-import/bin/python generate.py

The checked-in .onnx files are what the tests use; this script is only
needed to remake them.
"""

import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

SEED = 4242
OPSET = 13
IR_VERSION = 7
PRODUCER = "snnc testsuite/import/errors"
QONNX_DOMAIN = "qonnx.custom_op.general"

rng = np.random.default_rng(SEED)


def rand(*shape, std=0.3):
    """Small random float32 tensor from the module's fixed-seed generator."""
    return rng.normal(0.0, std, size=shape).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(path, nodes, inputs, outputs, inits, extra_opsets=(), run=True):
    """Build, check (fully), optionally run once with onnxruntime, save."""
    graph = helper.make_graph(nodes, os.path.splitext(path)[0], inputs,
                              outputs, inits)
    opsets = [helper.make_opsetid("", OPSET)]
    opsets += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name=PRODUCER, ir_version=IR_VERSION)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    if run:
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        feeds = {}
        for i in sess.get_inputs():
            shape = [2 if isinstance(d, str) or d is None else d
                     for d in i.shape]
            feeds[i.name] = np.zeros(shape, dtype=np.float32)
        sess.run(None, feeds)
    ops = ", ".join(n.op_type for n in model.graph.node)
    print(f"{path}: {os.path.getsize(path)} bytes  [{ops}]")


def gemm(name, x, out, n_in, n_out, inits, **attrs):
    """A PyTorch-style Gemm (transB=1) with fresh weight/bias initializers."""
    w, b = f"{name}.weight", f"{name}.bias"
    inits += [init(w, rand(n_out, n_in)), init(b, rand(n_out, std=0.1))]
    attrs.setdefault("transB", 1)
    return helper.make_node("Gemm", [x, w, b], [out], name=name, **attrs)


# ---------------------------------------------------------------------------
# E1101: an operator snnc does not support
# ---------------------------------------------------------------------------

def e1101_conv():
    """x (N, 8, 8) -> Conv1d(8 -> 4, k=3, pad 1) -> Relu -> Flatten -> Gemm.

    The input shape (N, H, W) is one snnc accepts; the first node, a Conv
    (1-D: 8 channels of length 8), is what it must reject.
    """
    inits = [init("conv1.weight", rand(4, 8, 3)),
             init("conv1.bias", rand(4, std=0.1))]
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"],
                         name="conv1", kernel_shape=[3], pads=[1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Flatten", ["r1"], ["f1"], name="flatten", axis=1),
    ]
    nodes.append(gemm("fc", "f1", "y", 32, 10, inits))
    save("E1101_conv.onnx", nodes, [vi("x", ["N", 8, 8])],
         [vi("y", ["N", 10])], inits)


def e1101_batchnorm():
    """x (N, 16) -> Gemm(16 -> 8) -> BatchNormalization -> y (N, 8)."""
    inits = []
    nodes = [gemm("fc1", "x", "g1", 16, 8, inits)]
    inits += [init("bn.scale", 1.0 + rand(8, std=0.1)),
              init("bn.bias", rand(8, std=0.1)),
              init("bn.mean", rand(8, std=0.1)),
              init("bn.var", np.abs(rand(8)) + np.float32(0.5))]
    nodes.append(helper.make_node(
        "BatchNormalization", ["g1", "bn.scale", "bn.bias", "bn.mean",
                               "bn.var"], ["y"], name="bn", epsilon=1e-5))
    save("E1101_batchnorm.onnx", nodes, [vi("x", ["N", 16])],
         [vi("y", ["N", 8])], inits)


def e1101_softmax():
    """x (N, 16) -> Gemm(16 -> 10) -> Softmax(axis=1) -> y (N, 10)."""
    inits = []
    nodes = [gemm("fc1", "x", "g1", 16, 10, inits),
             helper.make_node("Softmax", ["g1"], ["y"], name="softmax",
                              axis=1)]
    save("E1101_softmax.onnx", nodes, [vi("x", ["N", 16])],
         [vi("y", ["N", 10])], inits)


def e1101_tanh():
    """x (N, 16) -> Gemm(16 -> 8) -> Tanh -> y (N, 8)."""
    inits = []
    nodes = [gemm("fc1", "x", "g1", 16, 8, inits),
             helper.make_node("Tanh", ["g1"], ["y"], name="tanh")]
    save("E1101_tanh.onnx", nodes, [vi("x", ["N", 16])],
         [vi("y", ["N", 8])], inits)


# ---------------------------------------------------------------------------
# E1102: a graph that is not a chain
# ---------------------------------------------------------------------------

def e1102_skip():
    """Residual block: h1 = Relu(Gemm1(x)); y = Relu(Gemm2(h1) + h1).

    h1 has two consumers (Gemm2 and the Add), and the Add has two
    non-constant inputs, so the graph is not a single chain.
    """
    inits = []
    nodes = [
        gemm("fc1", "x", "g1", 16, 16, inits),
        helper.make_node("Relu", ["g1"], ["h1"], name="relu1"),
        gemm("fc2", "h1", "g2", 16, 16, inits),
        helper.make_node("Add", ["g2", "h1"], ["s"], name="skip_add"),
        helper.make_node("Relu", ["s"], ["y"], name="relu2"),
    ]
    save("E1102_skip.onnx", nodes, [vi("x", ["N", 16])],
         [vi("y", ["N", 16])], inits)


# ---------------------------------------------------------------------------
# E1103: an attribute or shape snnc does not support
# ---------------------------------------------------------------------------

def e1103_reshape():
    """x (N, 64) -> Gemm -> Relu -> Reshape to (N, 8, 8) -> Flatten -> Gemm.

    The Reshape sits in the middle of the network and does not flatten
    (shape initializer [-1, 8, 8]); that is the first unsupported thing.
    """
    inits = []
    nodes = [gemm("fc1", "x", "g1", 64, 64, inits),
             helper.make_node("Relu", ["g1"], ["h1"], name="relu1")]
    inits.append(init("reshape.shape", np.array([-1, 8, 8], dtype=np.int64)))
    nodes += [
        helper.make_node("Reshape", ["h1", "reshape.shape"], ["r"],
                         name="reshape"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten", axis=1),
    ]
    nodes.append(gemm("fc2", "f", "y", 64, 10, inits))
    save("E1103_reshape.onnx", nodes, [vi("x", ["N", 64])],
         [vi("y", ["N", 10])], inits)


def e1103_gemm_transa():
    """Gemm with transA=1: y = x^T * W^T + b, x of shape (16, N).

    Valid ONNX (the input is laid out features x batch), but snnc only
    accepts transA=0.
    """
    inits = []
    nodes = [gemm("fc1", "x", "y", 16, 8, inits, transA=1)]
    save("E1103_gemm_transa.onnx", nodes, [vi("x", [16, "N"])],
         [vi("y", ["N", 8])], inits)


# ---------------------------------------------------------------------------
# E1104: a non-power-of-two quantisation scale
# ---------------------------------------------------------------------------

def e1104_quant_scale():
    """x (N, 16) -> MatMul(x, Quant(W, scale=0.3)) -> Add b -> Relu.

    Everything else about the Quant is supported (zero point 0, bitwidth 8,
    signed=1, narrow=0, rounding_mode ROUND); only the scale 0.3 is not a
    power of two.
    """
    inits = [init("fc1/W", rand(16, 8)), init("fc1/b", rand(8, std=0.1)),
             init("fc1/W_quant/scale", np.array(0.3, dtype=np.float32)),
             init("fc1/W_quant/zero_point", np.array(0.0, dtype=np.float32)),
             init("fc1/W_quant/bitwidth", np.array(8.0, dtype=np.float32))]
    nodes = [
        helper.make_node("Quant", ["fc1/W", "fc1/W_quant/scale",
                                   "fc1/W_quant/zero_point",
                                   "fc1/W_quant/bitwidth"], ["Wq"],
                         name="fc1/W_quant", domain=QONNX_DOMAIN,
                         signed=1, narrow=0, rounding_mode="ROUND"),
        helper.make_node("MatMul", ["x", "Wq"], ["m"], name="fc1/MatMul"),
        helper.make_node("Add", ["m", "fc1/b"], ["a"], name="fc1/BiasAdd"),
        helper.make_node("Relu", ["a"], ["y"], name="fc1/Relu"),
    ]
    # onnxruntime does not know QONNX ops, so this one is only checked.
    save("E1104_quant_scale.onnx", nodes, [vi("x", ["N", 16])],
         [vi("y", ["N", 8])], inits, extra_opsets=[(QONNX_DOMAIN, 1)],
         run=False)


# ---------------------------------------------------------------------------
# E1105: weights that are not initializers
# ---------------------------------------------------------------------------

def e1105_weights_not_constant():
    """MatMul(x, W) where W (16, 8) is a second graph input, not an
    initializer; the bias is an initializer as usual."""
    inits = [init("fc1/b", rand(8, std=0.1))]
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="fc1/MatMul"),
        helper.make_node("Add", ["m", "fc1/b"], ["a"], name="fc1/BiasAdd"),
        helper.make_node("Relu", ["a"], ["y"], name="fc1/Relu"),
    ]
    save("E1105_weights_not_constant.onnx", nodes,
         [vi("x", ["N", 16]), vi("W", [16, 8])], [vi("y", ["N", 8])], inits)


# ---------------------------------------------------------------------------
# E1100: not an ONNX model
# ---------------------------------------------------------------------------

def e1100_not_onnx():
    """A few bytes of garbage that protobuf cannot parse as a ModelProto.

    (Protobuf is lenient -- many random byte strings do parse -- so the
    script checks that onnx really fails to load this one.)
    """
    data = b"this is not an ONNX model\n\x00\xff\xfe\x01garbage\n"
    path = "E1100_not_onnx.onnx"
    with open(path, "wb") as f:
        f.write(data)
    try:
        onnx.load(path)
    except Exception as e:   # google.protobuf.message.DecodeError
        print(f"{path}: {len(data)} bytes  [onnx.load fails: "
              f"{type(e).__name__}]")
    else:
        raise AssertionError(f"{path} unexpectedly parses as ONNX")


def main() -> None:
    e1100_not_onnx()
    e1101_conv()
    e1101_batchnorm()
    e1101_softmax()
    e1101_tanh()
    e1102_skip()
    e1103_reshape()
    e1103_gemm_transa()
    e1104_quant_scale()
    e1105_weights_not_constant()


if __name__ == "__main__":
    main()

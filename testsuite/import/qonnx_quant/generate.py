#!/usr/bin/env python3
"""Generate the `qonnx_quant` fixtures for `snnc import`.

The network of ../keras_dense (same W1, b1, W2, b2, same inputs, same
tf2onnx-style names) with QONNX ``Quant`` nodes (domain
``qonnx.custom_op.general``, inputs x, scale, zero_point, bitwidth;
attributes signed, narrow, rounding_mode) added:

    W1 -> Quant(w) -+                         W2 -> Quant(w) -+
                    v                                         v
    x (N, 64) -> MatMul -> Add b1 -> Relu -> Quant(h) -> MatMul -> Add b2
              -> Sigmoid -> Quant(y) -> dense_1 (N, 8)

Quantisers (all zero_point 0, bitwidth 8, narrow 0, rounding_mode "ROUND"):

    name      scale  signed  integer range  real range        why
    weights   2^-6   1       [-128, 127]    [-2.0, 1.984375]  |W| <= 1.66
    relu out  2^-5   1       [-128, 127]    [-4.0, 3.96875]   h <= 3.12
    sigm out  2^-8   0       [0, 255]       [0.0, 0.99609375] sigmoid < 1

The ReLU output is quantised signed (as Brevitas does for a signed
activation quantiser) even though it is never negative, so that the fixture
covers a signed activation quantiser too; the sigmoid output is unsigned.
No value in these fixtures reaches the clip bounds (weights use integers
-89..106, the ReLU quantiser 0..99, the sigmoid quantiser 16..248), but the
weight quantiser rounds a few small weights to zero: W1 has 512 non-zero
float weights and 508 after Quant, W2 256 and 250.  Biases and the network
input stay float32.

onnxruntime cannot run QONNX ops, so ``expected.npy`` is computed here with
NumPy, implementing the QONNX Quant semantics exactly:

    q = clip(round(x / scale) + zero_point, min, max)
    y = (q - zero_point) * scale

with min/max from (bitwidth, signed, narrow):
    signed, narrow=0:   [-2^(b-1), 2^(b-1) - 1]
    signed, narrow=1:   [-2^(b-1) + 1, 2^(b-1) - 1]
    unsigned, narrow=0: [0, 2^b - 1]
    unsigned, narrow=1: [0, 2^b - 2]
and ROUND = round half to even (numpy.round).  (qonnx's reference clips
before rounding; with integer bounds the result is the same.)  The forward
pass is done in float32, like onnxruntime would, and repeated in float64: the
script asserts that both give identical quantised activations and outputs,
so the expected values do not depend on summation order.  Every value of
expected.npy is an exact multiple of 2^-8.

Files written (into the current directory):

    model.onnx     opsets: "" 13, "qonnx.custom_op.general" 1
    inputs.npy     (8, 64) float32 in [0, 1) -- same as ../keras_dense
    expected.npy   (8, 8) float32, NumPy reference described above

``check_qonnx.py`` (optional) re-runs model.onnx with the qonnx package's own
executor and compares it with expected.npy.

Environment (outside the repository):

    python3 -m venv ~/.venvs/snnc-import
    ~/.venvs/snnc-import/bin/pip install numpy onnx onnxruntime

Run from this directory:

    cd testsuite/import/qonnx_quant && ~/.venvs/snnc-import/bin/python generate.py

The checked-in .onnx/.npy files are what the tests use; this script is only
needed to remake them.
"""

import importlib.util
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QONNX_DOMAIN = "qonnx.custom_op.general"


def load_keras_generator():
    """Import ../keras_dense/generate.py for its weights and inputs."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "keras_dense", "generate.py")
    spec = importlib.util.spec_from_file_location("keras_dense_generate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


kd = load_keras_generator()

# (scale, signed) of each quantiser; all: zero_point 0, bitwidth 8,
# narrow 0, rounding_mode ROUND.
BITWIDTH = 8
WEIGHT_Q = dict(scale=2.0 ** -6, signed=1)
RELU_Q = dict(scale=2.0 ** -5, signed=1)
SIGMOID_Q = dict(scale=2.0 ** -8, signed=0)


# ---------------------------------------------------------------------------
# QONNX Quant semantics in NumPy
# ---------------------------------------------------------------------------

def int_range(bitwidth: int, signed: int, narrow: int):
    """(min, max) of the integer grid, as QONNX defines it."""
    if signed:
        lo = -(2 ** (bitwidth - 1)) + (1 if narrow else 0)
        hi = 2 ** (bitwidth - 1) - 1
    else:
        lo = 0
        hi = 2 ** bitwidth - (2 if narrow else 1)
    return lo, hi


def quant(x, scale, zero_point=0.0, bitwidth=BITWIDTH, signed=1, narrow=0,
          rounding_mode="ROUND"):
    """QONNX Quant: q = clip(round(x/scale) + zp, min, max); (q - zp)*scale.

    Keeps the dtype of x.  Division and multiplication by a power of two are
    exact in binary floating point, so float32 and float64 agree here.
    """
    assert rounding_mode == "ROUND"
    dt = x.dtype
    lo, hi = int_range(bitwidth, signed, narrow)
    q = np.round(x / dt.type(scale)) + dt.type(zero_point)   # half to even
    q = np.clip(q, lo, hi)
    return ((q - dt.type(zero_point)) * dt.type(scale)).astype(dt)


def forward(x, w1, b1, w2, b2, dtype):
    """The quantised network in the given float dtype.

    Returns (output, quantised hidden activations, distance of the scaled
    pre-rounding values from the nearest .5 rounding boundary).
    """
    x, w1, b1, w2, b2 = (a.astype(dtype) for a in (x, w1, b1, w2, b2))
    w1q = quant(w1, **WEIGHT_Q)
    w2q = quant(w2, **WEIGHT_Q)
    h = np.maximum(x @ w1q + b1, dtype(0))
    hq = quant(h, **RELU_Q)
    z = hq @ w2q + b2
    s = dtype(1) / (dtype(1) + np.exp(-z))
    y = quant(s, **SIGMOID_Q)
    # How close did any activation come to a rounding tie?  (Small margins
    # would make the expected values fragile under a different summation
    # order; the float32/float64 comparison below guards against that.)
    def margin(v, scale):
        t = v.astype(np.float64) / scale
        return float(np.min(np.abs(np.abs(t - np.floor(t)) - 0.5)))
    return y, hq, min(margin(h, RELU_Q["scale"]), margin(s, SIGMOID_Q["scale"]))


# ---------------------------------------------------------------------------
# The ONNX graph
# ---------------------------------------------------------------------------

def quant_node(name, x, out, scale, signed, inits):
    """A Quant node with its own scale/zero_point/bitwidth initializers."""
    s_name, z_name, b_name = (f"{name}/scale", f"{name}/zero_point",
                              f"{name}/bitwidth")
    inits += [
        numpy_helper.from_array(np.array(scale, dtype=np.float32), s_name),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), z_name),
        numpy_helper.from_array(np.array(BITWIDTH, dtype=np.float32), b_name),
    ]
    return helper.make_node("Quant", [x, s_name, z_name, b_name], [out],
                            name=name, domain=QONNX_DOMAIN,
                            signed=signed, narrow=0, rounding_mode="ROUND")


def build(w1, b1, w2, b2) -> onnx.ModelProto:
    nodes, inits = [], []
    prev = "x"
    layers = [("dense", w1, b1, "Relu", RELU_Q),
              ("dense_1", w2, b2, "Sigmoid", SIGMOID_Q)]
    for i, (name, w, b, act, act_q) in enumerate(layers):
        scope = f"sequential/{name}"
        w_name = f"{scope}/MatMul/ReadVariableOp:0"
        b_name = f"{scope}/BiasAdd/ReadVariableOp:0"
        wq_name = f"{scope}/MatMul/weight_quant:0"
        inits += [numpy_helper.from_array(w, w_name),
                  numpy_helper.from_array(b, b_name)]
        # Weight quantiser: initializer -> Quant -> MatMul input B.
        nodes.append(quant_node(f"{scope}/MatMul/weight_quant", w_name,
                                wq_name, WEIGHT_Q["scale"], WEIGHT_Q["signed"],
                                inits))
        nodes.append(helper.make_node("MatMul", [prev, wq_name],
                                      [f"{scope}/MatMul:0"],
                                      name=f"{scope}/MatMul"))
        nodes.append(helper.make_node("Add", [f"{scope}/MatMul:0", b_name],
                                      [f"{scope}/BiasAdd:0"],
                                      name=f"{scope}/BiasAdd"))
        nodes.append(helper.make_node(act, [f"{scope}/BiasAdd:0"],
                                      [f"{scope}/{act}:0"],
                                      name=f"{scope}/{act}"))
        # Activation quantiser after the activation.
        last = i == len(layers) - 1
        out = "dense_1" if last else f"{scope}/{act}/act_quant:0"
        nodes.append(quant_node(f"{scope}/{act}/act_quant",
                                f"{scope}/{act}:0", out, act_q["scale"],
                                act_q["signed"], inits))
        prev = out
    x, y = kd.io_infos()
    graph = helper.make_graph(nodes, "sequential", [x], [y], inits)
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", kd.OPSET),
                       helper.make_opsetid(QONNX_DOMAIN, 1)],
        producer_name=kd.PRODUCER + " + QONNX Quant",
        ir_version=kd.IR_VERSION,
    )


def main() -> None:
    w1, b1, w2, b2 = kd.make_weights()
    x = kd.make_inputs()

    # Report how the weights land on the grid (and that none is clipped).
    lo, hi = int_range(BITWIDTH, WEIGHT_Q["signed"], 0)
    for name, w in (("W1", w1), ("W2", w2)):
        q = np.round(w / WEIGHT_Q["scale"])
        clipped = int(np.sum((q < lo) | (q > hi)))
        nz = int(np.count_nonzero(quant(w, **WEIGHT_Q)))
        print(f"{name}: {np.count_nonzero(w)} non-zero float weights, "
              f"{nz} non-zero after Quant, {clipped} clipped, "
              f"integer range used [{int(q.min())}, {int(q.max())}]")

    model = build(w1, b1, w2, b2)
    try:
        onnx.checker.check_model(model, full_check=True)
        print("onnx.checker: OK")
    except Exception as e:  # the custom domain may be rejected
        print(f"onnx.checker rejected the model (saved anyway): {e}")
    onnx.save(model, "model.onnx")

    y32, h32, m32 = forward(x, w1, b1, w2, b2, np.float32)
    y64, h64, m64 = forward(x, w1, b1, w2, b2, np.float64)
    assert np.array_equal(h32, h64.astype(np.float32)), "hidden differs"
    assert np.array_equal(y32, y64.astype(np.float32)), "output differs"
    assert y32.dtype == np.float32 and y32.shape == (kd.N_SAMPLES, kd.N_OUT)
    assert np.all(y32 * 256 == np.round(y32 * 256))
    hq_int = np.round(h32 / RELU_Q["scale"])
    yq_int = np.round(y32 / SIGMOID_Q["scale"])
    print(f"hidden Quant integers in [{int(hq_int.min())}, "
          f"{int(hq_int.max())}], output integers in [{int(yq_int.min())}, "
          f"{int(yq_int.max())}]")
    print(f"closest approach to a rounding tie (in units of the scale): "
          f"float32 {m32:.2e}, float64 {m64:.2e}")
    np.save("inputs.npy", x)
    np.save("expected.npy", y32)
    # What a float engine without activation quantisers computes: the weights as their Quant
    # nodes give them, every activation unrounded (float64). snnc's float64 engine must
    # match it; expected.npy (with the activation Quants) is for the fixed-point formats.
    f = [a.astype(np.float64) for a in (x, w1, b1, w2, b2)]
    hf = np.maximum(f[0] @ quant(f[1], **WEIGHT_Q) + f[2], 0.0)
    np.save("expected_float.npy", 1.0 / (1.0 + np.exp(-(hf @ quant(f[3], **WEIGHT_Q) + f[4]))))

    # How far the quantised network is from the float one (for interest).
    yf = kd.reference(x, w1, b1, w2, b2)
    print(f"max |quantised - float network| = {np.abs(y32 - yf).max():.4f}")
    for f in ("model.onnx", "inputs.npy", "expected.npy", "expected_float.npy"):
        print(f"{f}: {os.path.getsize(f)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Optional cross-check of expected.npy against the qonnx package itself.

qonnx is NOT needed to make the fixtures; this only confirms that the NumPy
Quant implementation in generate.py matches qonnx's reference executor.
It was run in a separate venv so that the fixture venv stays minimal:

    python3 -m venv ~/.venvs/snnc-qonnx
    ~/.venvs/snnc-qonnx/bin/pip install qonnx onnxruntime
    cd testsuite/import/qonnx_quant && ~/.venvs/snnc-qonnx/bin/python check_qonnx.py
"""

import numpy as np
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.core.onnx_exec import execute_onnx
from qonnx.transformation.infer_shapes import InferShapes

x = np.load("inputs.npy")
expected = np.load("expected.npy")

# qonnx's executor wants every shape concrete: fix the symbolic batch size N
# to the number of samples (in memory only) and infer the rest.
model = ModelWrapper("model.onnx")
in_name = model.graph.input[0].name
out_name = model.graph.output[0].name
model.set_tensor_shape(in_name, list(x.shape))
model.set_tensor_shape(out_name, list(expected.shape))
model = model.transform(InferShapes())
got = execute_onnx(model, {in_name: x})[out_name]
print("qonnx output dtype/shape:", got.dtype, got.shape)
print("max |qonnx - expected| =", float(np.abs(got - expected).max()))
assert np.array_equal(got.astype(np.float32), expected), "MISMATCH"
print("qonnx agrees with expected.npy exactly")

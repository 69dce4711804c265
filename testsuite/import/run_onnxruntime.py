#!/usr/bin/env python3
"""Checks an ONNX model with the ONNX checker and runs it in onnxruntime.

    run_onnxruntime.py MODEL.onnx INPUTS.npy OUTPUTS.npy

The inputs are cast to the model input's element type and reshaped to
(samples, features); the outputs are saved as float64. The test suite runs it
on what `snnc export` writes, so that onnxruntime, not snnc, says what the
exported model computes.
"""

import sys

import numpy as np
import onnx
import onnxruntime as ort


def main() -> None:
    model_path, inputs_path, outputs_path = sys.argv[1:4]
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (graph_input,) = session.get_inputs()
    dtype = np.float64 if graph_input.type == "tensor(double)" else np.float32
    inputs = np.load(inputs_path)
    inputs = inputs.reshape(inputs.shape[0], -1).astype(dtype)
    (outputs,) = session.run(None, {graph_input.name: inputs})
    np.save(outputs_path, outputs.astype(np.float64))


if __name__ == "__main__":
    main()

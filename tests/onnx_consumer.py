#!/usr/bin/python3
"""A real consumer of our ONNX exports, run by tst_onnx_export and tst_cli.

check MODEL: onnx.checker with full checking and strict shape inference; prints the metadata
and the inferred output shape as JSON.

run MODEL INPUTS DTYPE SHAPE EXPECTED: OpenCV's DNN module (Debian's python3-opencv) runs MODEL
on INPUTS (raw bytes of SHAPE, comma-separated; DTYPE u8 = images, fed as float in [0, 1], or f32
= feature vectors, fed as they are), 500 at a time, and compares the logits
with EXPECTED (N*k float32, the app's logits): prints JSON with the largest absolute and
relative difference and how many argmax predictions differ (all, and where the app's top-2 gap
exceeds 1e-3 of its largest logit, i.e. not a near-tie that float rounding may flip).
"""
import json
import sys

import numpy as np


def check(path):
    import onnx
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type.shape.dim
    print(json.dumps({
        "opset": model.opset_import[0].version,
        "metadata": {p.key: p.value for p in model.metadata_props},
        "input": [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim],
        "output": [d.dim_param or d.dim_value for d in out],
        "ops": sorted({n.op_type for n in model.graph.node}),
    }))


def run(path, inputs, dtype, shape, expected):
    import cv2
    # The leading images of the file: a test may check fewer than it holds.
    count = int(np.prod(shape))
    if dtype == "u8":
        x = np.fromfile(inputs, dtype=np.uint8, count=count).reshape(shape).astype(np.float32) / 255.0
    else:
        x = np.fromfile(inputs, dtype=np.float32, count=count).reshape(shape)
    n = shape[0]
    want = np.fromfile(expected, dtype=np.float32).reshape(n, -1)
    net = cv2.dnn.readNetFromONNX(path)
    got = []
    for i in range(0, n, 500):
        net.setInput(x[i:i + 500])
        got.append(net.forward().copy())
    got = np.concatenate(got).reshape(want.shape)
    top2 = np.sort(want, axis=1)[:, -2:]
    scale = np.abs(want).max()
    clear = (top2[:, 1] - top2[:, 0]) > 1e-3 * scale
    differ = got.argmax(1) != want.argmax(1)
    print(json.dumps({
        "n": int(n),
        "max_abs_diff": float(np.abs(got - want).max()),
        "max_rel_diff": float(np.abs(got - want).max() / scale),
        "argmax_differ": int(differ.sum()),
        "argmax_differ_clear": int((differ & clear).sum()),
        "near_ties": int((~clear).sum()),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        a = sys.argv[2:]
        run(a[0], a[1], a[2], [int(v) for v in a[3].split(",")], a[4])

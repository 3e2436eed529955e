#!/usr/bin/python3
"""A real consumer of our safetensors exports of torchvision's ResNets, run by tst_onnx_export.

run MODEL.safetensors INPUTS SHAPE EXPECTED: builds torchvision's ResNet of the file's `model`
(resnet18/resnet50 as torchvision.models has them, resnet10 as ResNet(BasicBlock, [1, 1, 1, 1]))
with the file's class count, conv1 for the data's channel count, loads the tensors with
load_state_dict(strict=True) — every name and shape must be torchvision's — and runs it on
INPUTS (uint8 images of SHAPE N,C,H,W): /255, zero-padded centred to the metadata's input_shape,
(x - mean)/std per channel. Prints JSON comparing the logits with EXPECTED (N*k float32, the
app's): the largest relative difference and how many argmax predictions differ.
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        begin, end = t["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype=dtypes[t["dtype"]]).reshape(t["shape"]).copy()
    return header.get("__metadata__", {}), tensors


def run(path, inputs, shape, expected):
    import torch
    from torchvision.models import resnet
    meta, tensors = read_safetensors(path)
    k = len(json.loads(meta["class_names"]))
    kinds = {"resnet10": (resnet.BasicBlock, [1, 1, 1, 1]), "resnet18": (resnet.BasicBlock, [2, 2, 2, 2]),
             "resnet50": (resnet.Bottleneck, [3, 4, 6, 3])}
    block, layers = kinds[meta["model"]]
    net = resnet.ResNet(block, layers, num_classes=k)
    channels = tensors["conv1.weight"].shape[1]
    if channels != 3:
        net.conv1 = torch.nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    net.load_state_dict({name: torch.from_numpy(t) for name, t in tensors.items()}, strict=True)
    net.eval()
    n, c, h, w = shape
    x = torch.from_numpy(np.fromfile(inputs, dtype=np.uint8, count=int(np.prod(shape))).reshape(shape).astype(np.float32) / 255.0)
    _, th, tw = json.loads(meta["input_shape"])
    ph, pw = th - h, tw - w
    x = torch.nn.functional.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    mean = torch.tensor(json.loads(meta["mean"]), dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(json.loads(meta["std"]), dtype=torch.float32).view(1, -1, 1, 1)
    x = (x - mean) / std
    with torch.no_grad():
        logits = torch.cat([net(x[i:i + 500]) for i in range(0, n, 500)]).numpy()
    want = np.fromfile(expected, dtype=np.float32).reshape(logits.shape)
    rel = np.abs(logits - want).max() / max(1e-12, np.abs(want).max())
    print(json.dumps({"n": int(n), "max_rel_diff": float(rel),
                      "argmax_differ": int((logits.argmax(1) != want.argmax(1)).sum())}))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], [int(v) for v in sys.argv[4].split(",")], sys.argv[5])

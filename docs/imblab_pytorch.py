#!/usr/bin/env python3
"""Load an Imbalance Lab model (model.safetensors) into plain PyTorch and measure it on the test set.

Self-contained: the networks are written out here in plain PyTorch; the safetensors file is read
with the `safetensors` package when installed, else by the 15-line reader below.

    python3 docs/imblab_pytorch.py runs/x/model.safetensors [/usr/share/datasets/fashion-mnist]
"""
import gzip, json, struct, sys
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- the networks, with the parameter names Imbalance Lab exports -------------------------------
class NormedLinear(nn.Module):            # LDAM's cosine head: weight is [in_features, classes]
    def __init__(self, in_features, classes):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, classes))

    def forward(self, x):
        return F.normalize(x, dim=1).mm(F.normalize(self.weight, dim=0))


def head(in_features, classes, normed):
    return NormedLinear(in_features, classes) if normed else nn.Linear(in_features, classes)


class SmallCNN(nn.Module):
    def __init__(self, c, h, w, classes, normed):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * (h // 4) * (w // 4), 128)
        self.linear = head(128, classes, normed)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        return self.linear(F.relu(self.fc1(x.flatten(1))))


class BasicBlock(nn.Module):              # ResNet for CIFAR, option-A shortcut
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes // 4 if (stride != 1 or in_planes != planes) else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        short = x if self.pad is None else F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(out + short)


class ResNet32(nn.Module):
    def __init__(self, c, classes, normed, n=5):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        planes_in = [16]

        def stage(planes, stride):
            blocks = []
            for b in range(n):
                blocks.append(BasicBlock(planes_in[0], planes, stride if b == 0 else 1))
                planes_in[0] = planes
            return nn.Sequential(*blocks)

        self.layer1, self.layer2, self.layer3 = stage(16, 1), stage(32, 2), stage(64, 2)
        self.linear = head(64, classes, normed)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.linear(x.mean((2, 3)))


class MLP(nn.Module):
    def __init__(self, in_features, hidden, classes, normed):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_features, hidden), nn.Linear(hidden, hidden)
        self.linear = head(hidden, classes, normed)

    def forward(self, x):
        return self.linear(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))


# --- reading the file ----------------------------------------------------------------------------
DTYPES = {"F32": torch.float32, "I64": torch.int64}


def load_safetensors(path):
    try:
        from safetensors import safe_open
        from safetensors.torch import load_file
        with safe_open(path, "pt") as f:
            return load_file(path), f.metadata()
    except ImportError:
        pass
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {k: torch.frombuffer(bytearray(body[v["data_offsets"][0]:v["data_offsets"][1]]),
                                   dtype=DTYPES[v["dtype"]]).reshape(v["shape"]) for k, v in header.items()}
    return tensors, meta


def build(meta):
    shape, names = json.loads(meta["input_shape"]), json.loads(meta["class_names"])
    normed, k = meta["head"] == "normed", len(names)
    cfg = json.loads(meta["config"])
    if meta["model"] == "cnn":
        return SmallCNN(*shape, k, normed)
    if meta["model"] == "resnet32":
        return ResNet32(shape[0], k, normed)
    return MLP(int(torch.tensor(shape).prod()), cfg["train"]["mlp_hidden"], k, normed)


def read_idx(path):
    raw = gzip.open(path).read()
    if raw[2] == 8 and raw[3] == 3:
        n, h, w = struct.unpack(">III", raw[4:16])
        return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, h, w)
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()


def main():
    path = sys.argv[1]
    folder = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    state, meta = load_safetensors(path)
    model = build(meta)
    model.load_state_dict(state)             # strict: every name and shape must match
    model.eval()
    x = read_idx(f"{folder}/t10k-images-idx3-ubyte.gz").float() / 255
    y = read_idx(f"{folder}/t10k-labels-idx1-ubyte.gz")
    mean, std = torch.tensor(json.loads(meta["mean"])), torch.tensor(json.loads(meta["std"]))
    x = (x - mean.view(1, -1, 1, 1)) / std.view(1, -1, 1, 1)
    h, w = json.loads(meta["input_shape"])[1:]
    ph, pw = h - x.shape[2], w - x.shape[3]     # ResNet-32 takes 28x28 zero-padded to 32x32
    if ph or pw:                                 # (padding happens before normalisation)
        x = F.pad(x * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1), (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
        x = (x - mean.view(1, -1, 1, 1)) / std.view(1, -1, 1, 1)
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)])
    k = len(json.loads(meta["class_names"]))
    per_class = torch.stack([(pred[y == c] == c).float().mean() for c in range(k)])
    print(json.dumps({"test_accuracy": per_class.mean().item(), "balanced_error": 1 - per_class.mean().item(),
                      "per_class_accuracy": [round(a, 4) for a in per_class.tolist()]}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference throughput of PyTorch's own Python training loop, for comparison with
`imblab-cli bench`: the same networks (docs/imblab_pytorch.py), SGD with momentum and weight
decay, cross-entropy, data already in memory (no augmentation, which favours this side).

    python3 packaging/bench/pytorch_reference.py resnet32 128 [threads] [steps]
"""
import json, os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "docs"))
import torch
import torch.nn.functional as F
from imblab_pytorch import ResNet32, SmallCNN

model_name = sys.argv[1] if len(sys.argv) > 1 else "resnet32"
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
threads = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
steps = int(sys.argv[4]) if len(sys.argv) > 4 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
model = ResNet32(1, 10, False) if model_name == "resnet32" else SmallCNN(1, 28, 28, 10, False)
side = 32 if model_name == "resnet32" else 28
x = torch.randn(batch, 1, side, side)
y = torch.randint(0, 10, (batch,))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)
model.train()

def step():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()

for _ in range(3):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
secs = time.perf_counter() - t0
print(json.dumps({"model": model_name, "batch_size": batch, "threads": threads, "steps": steps,
                  "torch": torch.__version__, "img_per_s": steps * batch / secs}))

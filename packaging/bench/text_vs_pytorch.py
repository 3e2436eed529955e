#!/usr/bin/python3
"""Text-model training speed, ours against PyTorch's, side by side in one invocation.

    /usr/bin/python3 packaging/bench/text_vs_pytorch.py [build/app/imblab-cli] [threads] [steps]

Both sides train the same network on the same shapes: a vocabulary of 20 000 words, embedding
128, batch 64, texts of 256 words, Adam, cross-entropy. `bilstm`: two-layer bidirectional LSTM,
hidden 128 per direction (PyTorch: nn.LSTM over a PackedSequence, the classifier on the top
layer's last states, as docs/imblab_text_pytorch.py builds it); `textbag`: the mean of the words'
embeddings (nn.EmbeddingBag). Ours is `imblab-cli bench` on a generated text folder whose texts
all hold 256 words; PyTorch's is a plain Python training loop on random ids of the same shape.
Prints one JSON line per model with both throughputs (sequences/s and tokens/s), the ratio, the
threads and the processor.
"""
import json, os, random, subprocess, sys, tempfile, time
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import cpu_name  # noqa: E402

VOCAB, DIM, HIDDEN, BATCH, WORDS = 20000, 128, 128, 64, 256


def write_corpus(root, texts_per_class=160):
    """Two classes of texts of exactly WORDS words from a pool of 30 000: the vocabulary fills up."""
    rng = random.Random(0)
    for c in ("a", "b"):
        os.makedirs(os.path.join(root, c), exist_ok=True)
        for i in range(texts_per_class):
            with open(os.path.join(root, c, f"{i}.txt"), "w") as f:
                f.write(" ".join(f"w{rng.randrange(30000)}" for _ in range(WORDS)))


class BiLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, DIM, padding_idx=0)
        self.lstm = nn.LSTM(DIM, HIDDEN, num_layers=2, bidirectional=True, batch_first=True)
        self.linear = nn.Linear(2 * HIDDEN, 2)

    def forward(self, ids, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.linear(torch.cat([h[-2], h[-1]], 1))


class TextBag(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.EmbeddingBag(VOCAB, DIM, mode="mean")
        self.linear = nn.Linear(DIM, 2)

    def forward(self, ids, lengths):
        offsets = torch.arange(0, ids.numel(), WORDS)
        return self.linear(self.embedding(ids.reshape(-1), offsets))


def pytorch_speed(model_name, threads, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = BiLstm() if model_name == "bilstm" else TextBag()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    ids = torch.randint(2, VOCAB, (BATCH, WORDS))
    lengths = torch.full((BATCH,), WORDS)
    y = torch.randint(0, 2, (BATCH,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(ids, lengths), y).backward()
        opt.step()

    step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * BATCH / (time.perf_counter() - t0)


def ours_speed(cli, corpus, model_name, threads, steps):
    out = subprocess.run([cli, "bench", "--dataset", "text", "--data", corpus, "--model", model_name, "--batch-size", str(BATCH),
                          "--max-tokens", str(WORDS), "--vocab-size", str(VOCAB), "--min-count", "1", "--embedding-dim", str(DIM),
                          "--lstm-hidden", str(HIDDEN), "--threads", str(threads), "--steps", str(steps), "--warmup", "2",
                          "--no-cache"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    cli = sys.argv[1] if len(sys.argv) > 1 else "build/app/imblab-cli"
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with tempfile.TemporaryDirectory() as corpus:
        write_corpus(corpus)
        for model_name, torch_steps in (("bilstm", 2), ("textbag", 50)):
            ours = ours_speed(cli, corpus, model_name, threads, steps if model_name == "bilstm" else 50)
            theirs = pytorch_speed(model_name, threads, torch_steps)
            mine = ours["img_per_s"]
            print(json.dumps({"model": model_name, "batch": BATCH, "words": WORDS, "vocabulary": VOCAB, "threads": threads,
                              "cpu": cpu_name(), "torch": torch.__version__, "blas": ours.get("blas", ""),
                              "ours_sequences_per_s": round(mine, 1), "pytorch_sequences_per_s": round(theirs, 1),
                              "ours_tokens_per_s": round(mine * WORDS), "pytorch_tokens_per_s": round(theirs * WORDS),
                              "ratio": round(mine / theirs, 2)}), flush=True)


if __name__ == "__main__":
    main()

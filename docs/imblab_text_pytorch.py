#!/usr/bin/env python3
"""Load an Imbalance Lab text model (model.safetensors and model.vocabulary.json beside it) into
plain PyTorch and measure it on a test set of texts (beside docs/imblab_pytorch.py, whose cosine
head and safetensors reader it uses).

    python3 docs/imblab_text_pytorch.py runs/x/model.safetensors TEST

TEST is a folder of class folders of .txt files (aclImdb's test/; a folder holding train/ and
test/ means its test/), or a CSV, TSV or JSON Lines table with a text and a label column.

Texts become words exactly as Imbalance Lab makes them (docs/text.md): UTF-8 (its byte-order mark
dropped) or UTF-16 with a mark; CRLF and CR read as LF; "<br />" tags read as a space; ICU's word
boundaries in the root locale (PyICU, Debian's python3-icu), keeping the segments ICU tags as
words, numbers, kana or ideographs; each word lower-cased by ICU; the first max_tokens words;
words the vocabulary lacks are <unk> (id 1). A text that Imbalance Lab would skip (binary, not
UTF-8, empty, no words) is skipped here too, and counted.
"""
import csv, json, os, re, sys
import icu
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- the networks, with the parameter names Imbalance Lab exports -------------------------------
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imblab_pytorch import head, load_safetensors  # noqa: E402  (the cosine head and the reader, as for images)


class TextBag(nn.Module):                 # the mean of the words' embeddings, then the head
    def __init__(self, vocabulary, dim, classes, normed):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocabulary, dim, mode="mean")
        self.linear = head(dim, classes, normed)

    def forward(self, texts):             # texts: lists of word ids
        flat = torch.tensor([i for t in texts for i in t], dtype=torch.long)
        offsets = torch.tensor([0] + [len(t) for t in texts[:-1]], dtype=torch.long).cumsum(0)
        return self.linear(self.embedding(flat, offsets))


class BiLstm(nn.Module):                  # the paper's Table 1 model
    def __init__(self, vocabulary, dim, hidden, classes, normed):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, dim, padding_idx=0)
        self.lstm = nn.LSTM(dim, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.linear = head(2 * hidden, classes, normed)

    def forward(self, texts):
        lengths = torch.tensor([len(t) for t in texts])
        ids = torch.zeros(len(texts), int(lengths.max()), dtype=torch.long)
        for i, t in enumerate(texts):
            ids[i, :len(t)] = torch.tensor(t)
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)     # h: [layers·2, B, H]; the top layer's forward and backward
        return self.linear(torch.cat([h[-2], h[-1]], 1))


# --- texts to words ------------------------------------------------------------------------------
ROOT = icu.Locale.getRoot()
BREAKS = icu.BreakIterator.createWordInstance(ROOT)
BR = re.compile(r"<[bB][rR] */?>")


def decode(raw):
    """The text of a file's bytes, or None where Imbalance Lab skips it."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = raw[2:].decode("utf-16-le" if raw[:2] == b"\xff\xfe" else "utf-16-be")
        except UnicodeDecodeError:
            return None
    else:
        if raw[:3] == b"\xef\xbb\xbf":
            raw = raw[3:]
        if b"\x00" in raw:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    text = BR.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if text.strip(" \t\n\f\v") else None


def words(text, max_tokens):
    us = icu.UnicodeString(text)
    BREAKS.setText(us)
    out, start = [], BREAKS.first()
    for end in BREAKS:
        if BREAKS.getRuleStatus() >= 100:     # UBRK_WORD_NONE_LIMIT: not space or punctuation
            if len(out) == max_tokens:
                break
            w = icu.UnicodeString(us[start:end])
            w.toLower(ROOT)
            out.append(str(w))
        start = end
    return out


def read_test_set(path, class_names):
    """(text, class index) pairs of a folder of class folders or of a table."""
    if os.path.isdir(path):
        if os.path.isdir(os.path.join(path, "test")):
            path = os.path.join(path, "test")
        for c, name in enumerate(class_names):
            folder = os.path.join(path, name)
            for root, _, files in sorted(os.walk(folder)):
                for f in sorted(files):
                    if f.lower().endswith(".txt"):
                        yield decode(open(os.path.join(root, f), "rb").read()), c
        return
    index = {n: c for c, n in enumerate(class_names)}
    text_names = ["text", "review", "sentence", "content", "body", "message", "document", "description"]
    label_names = ["label", "class", "sentiment", "target", "y", "category", "section"]
    if path.lower().endswith((".jsonl", ".ndjson")):
        rows = [json.loads(line) for line in open(path, encoding="utf-8-sig") if line.strip()]
    else:
        with open(path, encoding="utf-8-sig", newline="") as f:
            sample = f.readline()
            f.seek(0)
            delimiter = "\t" if path.lower().endswith((".tsv", ".tab")) else max(",;\t", key=sample.count)
            rows = list(csv.DictReader(f, delimiter=delimiter))
    keys = list(rows[0].keys())
    text_key = next(k for n in text_names for k in keys if k.lower() == n)
    label_key = next(k for n in label_names for k in keys if k.lower() == n)
    for row in rows:
        label = row[label_key]
        label = json.dumps(label) if not isinstance(label, str) else label
        yield decode(row[text_key].encode("utf-8")), index[label]


def main():
    weights, test = sys.argv[1], sys.argv[2]
    state, meta = load_safetensors(weights)
    vocab = json.load(open(os.path.join(os.path.dirname(weights), meta["vocabulary_file"]), encoding="utf-8"))
    ids = {w: i for i, w in enumerate(vocab["words"])}
    names, normed = json.loads(meta["class_names"]), meta["head"] == "normed"
    dim, k = int(meta["embedding_dim"]), len(names)
    if meta["model"] == "textbag":
        model = TextBag(len(ids), dim, k, normed)
    else:
        model = BiLstm(len(ids), dim, int(meta["lstm_hidden"]), k, normed)
    model.load_state_dict(state)              # strict: every name and shape must match
    model.eval()
    texts, labels, skipped = [], [], 0
    for text, label in read_test_set(test, names):
        w = words(text, vocab["max_tokens"]) if text is not None else []
        if not w:
            skipped += 1
            continue
        texts.append([ids.get(x, vocab["unk_id"]) for x in w])
        labels.append(label)
    with torch.no_grad():
        pred = torch.cat([model(texts[i:i + 256]).argmax(1) for i in range(0, len(texts), 256)])
    y = torch.tensor(labels)
    per_class = torch.stack([(pred[y == c] == c).float().mean() for c in range(k)])
    print(json.dumps({"texts": len(texts), "skipped": skipped, "balanced_error": 1 - per_class.mean().item(),
                      "per_class_error": [round(1 - a, 6) for a in per_class.tolist()]}))


if __name__ == "__main__":
    main()

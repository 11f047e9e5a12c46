"""Loads weights written by ``bin/alexnet export`` into the PyTorch networks and scores them.

    python3 python/check_weights.py FILE [--data-dir DIR] [--limit N] [--batch-size B]
                                         [--model NAME] [--size N] [--save-step OUT]

Reads FILE (safetensors or NPZ), builds the network its metadata names (or ``--model``) with the classes and
input channels the metadata gives (a model trained on a folder of pictures: ``in_channels=3``,
``num_classes=N``), calls
``load_state_dict(strict=True)`` and prints the loss and accuracy on the first N Fashion-MNIST test
images, preprocessed as the Java side does (scaled to [0, 1], bilinear resize with half-pixel
centres). ``bin/alexnet evaluate --weights FILE --val-limit N`` must print the same figures.

``--save-step OUT`` then takes one SGD step in PyTorch on the first batch and saves the result to
OUT (safetensors if it ends so, else NPZ), printing its score: weights made by PyTorch, for
``bin/alexnet evaluate --weights OUT`` to score in turn.

Needs torch and numpy; uses the ``safetensors`` package when installed and otherwise reads and writes
the format itself (an 8-byte little-endian header length, a JSON header, raw little-endian data).
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alexnet_torch import INPUT_SIZE, NETWORKS  # noqa: E402

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_weights(path):
    """Returns (state dict, metadata)."""
    with open(path, "rb") as f:
        start = f.read(2)
    if start == b"PK":
        with np.load(path) as npz:
            return {k: torch.from_numpy(npz[k].copy()) for k in npz.files}, {}
    try:
        from safetensors import safe_open
        from safetensors.torch import load_file
        with safe_open(path, framework="pt") as f:
            metadata = f.metadata() or {}
        return load_file(path), metadata
    except ImportError:
        pass
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    state = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        state[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return state, metadata


def write_weights(path, state):
    state = {k: v.detach().contiguous() for k, v in state.items()}
    if not path.endswith(".safetensors"):
        np.savez(path, **{k: v.numpy() for k, v in state.items()})
        return
    try:
        from safetensors.torch import save_file
        save_file(state, path)
        return
    except ImportError:
        pass
    names = {torch.float32: "F32", torch.int64: "I64"}
    header, offset, blobs = {}, 0, []
    for name in sorted(state):
        blob = state[name].numpy().astype(state[name].numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[state[name].dtype], "shape": list(state[name].shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    (magic,) = struct.unpack(">I", data[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    sys.exit(f"{data_dir}: no {stem}[.gz]")


def batches(images, labels, size, batch_size):
    for i in range(0, len(labels), batch_size):
        x = torch.from_numpy(images[i:i + batch_size].astype(np.float32) / 255).unsqueeze(1)
        if size != x.shape[-1]:
            x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        yield x, torch.from_numpy(labels[i:i + batch_size].astype(np.int64))


def score(model, images, labels, size, batch_size):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for x, y in batches(images, labels, size, batch_size):
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
    return loss / len(labels), correct / len(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("--data-dir", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--limit", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--model")
    parser.add_argument("--size", type=int)
    parser.add_argument("--save-step")
    args = parser.parse_args()

    state, metadata = read_weights(args.file)
    name = args.model or metadata.get("model", "alexnet")
    size = args.size or int(metadata.get("input_size", INPUT_SIZE[name]))
    # a model trained on a folder of pictures says its classes and channels in the metadata
    classes = json.loads(metadata["classes"]) if "classes" in metadata else None
    channels = int(metadata.get("channels", 1))
    model = NETWORKS[name](num_classes=len(classes)) if classes else NETWORKS[name]()
    model(torch.zeros(1, channels, size, size))  # materializes the lazy layers, as the book's layer_summary does
    model.load_state_dict(state, strict=True)
    if metadata.get("preprocessing", "fashion-mnist") != "fashion-mnist":
        output = model.eval()(torch.zeros(1, channels, size, size))
        print(f"pytorch {torch.__version__}: {name} from {args.file} loaded (strict) with in_channels={channels}, "
              f"num_classes={len(classes)} ({', '.join(classes)}); output shape {tuple(output.shape)}. "
              "It was trained on a folder of pictures, not Fashion-MNIST: nothing to score here.")
        return

    images = read_idx(find(args.data_dir, "t10k-images-idx3-ubyte"))[:args.limit]
    labels = read_idx(find(args.data_dir, "t10k-labels-idx1-ubyte"))[:args.limit]
    loss, accuracy = score(model, images, labels, size, args.batch_size)
    print(f"pytorch {torch.__version__}: {name} at {size}x{size} from {args.file}: "
          f"{len(labels)} images, loss {loss:.4f}, accuracy {accuracy:.4f}")

    if args.save_step:
        model.train()
        torch.manual_seed(0)
        x, y = next(batches(images, labels, size, args.batch_size))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        write_weights(args.save_step, model.state_dict())
        loss, accuracy = score(model, images, labels, size, args.batch_size)
        print(f"after one PyTorch SGD step, saved to {args.save_step}: loss {loss:.4f}, accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()

"""Five full-batch training steps of the chapter's AlexNet (without dropout, so that both sides
compute the same function) in PyTorch, from PyTorch's own initial weights, written for
``bin/alexnet train --init-from`` to start from, so that the two can be compared step by step:

    /usr/bin/python3 python/five_steps.py /tmp/init.safetensors adam 1e-4
    bin/alexnet train --init-from /tmp/init.safetensors --model alexnet-nodropout --limit 128 \\
        --batch-size 128 --epochs 5 --val-limit 128 --optimizer adam --lr 1e-4 --json

Each of the five epochs of the Java run is one step on the same 128 images (the first of the training
set, resized to 224x224 as in training), so its train loss is that step's loss.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alexnet_torch import AlexNet  # noqa: E402
from check_weights import batches, find, read_idx, write_weights  # noqa: E402


def main():
    out, name, lr = sys.argv[1], sys.argv[2], float(sys.argv[3])
    data_dir = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
    images = read_idx(find(data_dir, "train-images-idx3-ubyte"))[:128]
    labels = read_idx(find(data_dir, "train-labels-idx1-ubyte"))[:128]
    x, y = next(batches(images, labels, 224, 128))
    torch.manual_seed(0)
    model = AlexNet(dropout=False)
    model(x[:1])
    write_weights(out, model.state_dict())
    optimizer = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[name](
        model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(name, lr, " ".join(f"{v:.6f}" for v in losses))


if __name__ == "__main__":
    main()

"""Writes the fidelity fixtures: what PyTorch computes for a few training steps of this project's
networks, for the Java tests to compare against (``FidelityTest``), so that every CI run checks the
Java training against PyTorch without needing Python.

Run by hand with Debian's python3-torch:

    /usr/bin/python3 python/fidelity.py src/test/resources/fidelity

Nothing random: the initial weights and the batch are fixed formulas of their indices, which the
Java test computes the same way, so the fixtures hold only losses and summaries of the weights
(a few kB each) instead of the weights themselves.
"""
import json
import math
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from alexnet_torch import AlexNet, LeNet  # noqa: E402


class BatchNormNet(nn.Module):
    """A small network with batch normalization in training mode (FidelityTest builds its twin)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                                 nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(8 * 14 * 14, 10))

    def forward(self, x):
        return self.net(x)


def init_value(name, shape, position):
    """The fixed initial value of a tensor: a sine of its flat index, scaled as a layer expects."""
    n = math.prod(shape)
    if name.endswith("running_mean"):
        return torch.zeros(shape)
    if name.endswith("running_var"):
        return torch.ones(shape)
    wave = torch.sin(0.731 * torch.arange(n, dtype=torch.float64) + 0.5 * position + 0.1)
    if len(shape) == 1 and name.endswith("weight"):
        values = 1 + 0.1 * wave          # batch norm's scale
    elif len(shape) == 1:
        values = 0.1 * wave              # biases and batch norm's shift
    else:
        values = wave / math.sqrt(n / shape[0])   # 1/sqrt(fan_in)
    return values.reshape(shape).float()


def batch(size, side):
    """A fixed batch: image n has label n % 10 and a pattern that depends on it."""
    n = torch.arange(size, dtype=torch.float64).reshape(size, 1, 1, 1)
    h = torch.arange(side, dtype=torch.float64).reshape(1, 1, side, 1)
    w = torch.arange(side, dtype=torch.float64).reshape(1, 1, 1, side)
    label = n % 10
    x = 0.5 + 0.5 * torch.sin(0.37 * label + 0.11 * h * (1 + n % 3) + 0.07 * w)
    return x.float(), torch.arange(size) % 10


def rate(optimizer, step, total):
    """The learning rate at update ``step`` (1-based) of ``total``, as Optimizers documents it."""
    lr, warmup = optimizer["learningRate"], optimizer["warmupSteps"]
    if step < warmup:
        return lr * step / warmup
    if not optimizer["cosine"]:
        return lr
    t, span, final = step - warmup, max(1, total - warmup), lr / 100
    if t > span:
        return final
    return final + (lr - final) / 2 * (1 + math.cos(math.pi * t / span))


def summary(tensor):
    flat = tensor.detach().double().flatten()
    return {"sum": flat.sum().item(), "sumAbs": flat.abs().sum().item(),
            "first": [float(v) for v in flat[:8].tolist()]}


def run(case):
    torch.manual_seed(0)
    model = case["make"]()
    x, y = batch(case["batch"], case["input"])
    model(x)  # materializes the lazy layers
    position = 0
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                continue
            tensor.copy_(init_value(name, tuple(tensor.shape), position))
            position += 1
    opt = case["optimizer"]
    params = model.parameters()
    if opt["name"] == "sgd":
        optimizer = torch.optim.SGD(params, lr=opt["learningRate"], weight_decay=opt["weightDecay"],
                                    momentum=opt.get("momentum", 0.0), nesterov=opt.get("nesterov", False))
    elif opt["name"] == "adam":
        optimizer = torch.optim.Adam(params, lr=opt["learningRate"], weight_decay=opt["weightDecay"])
    else:
        optimizer = torch.optim.AdamW(params, lr=opt["learningRate"], weight_decay=opt["weightDecay"])
    model.train()
    losses, rates = [], []
    for step in range(1, case["steps"] + 1):
        for group in optimizer.param_groups:
            group["lr"] = rate(opt, step, case["steps"])
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y, label_smoothing=opt.get("labelSmoothing", 0.0))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    extra = {"poolAt": case["poolAt"]} if "poolAt" in case else {}
    return {
        **extra,
        "name": case["name"], "network": case["network"], "input": case["input"], "batch": case["batch"],
        "steps": case["steps"], "optimizer": opt, "rates": rates, "losses": losses,
        "tensors": {name: summary(t) for name, t in model.state_dict().items()
                    if not name.endswith("num_batches_tracked")},
        "torch": torch.__version__,
    }


def optimizer(name, lr, weight_decay=0.0, warmup=0, cosine=False, momentum=0.0, nesterov=False, label_smoothing=0.0):
    o = {"name": name, "learningRate": lr, "weightDecay": weight_decay, "warmupSteps": warmup, "cosine": cosine}
    # the later settings only where used, so that the earlier fixtures stay as they were
    if momentum:
        o["momentum"] = momentum
    if nesterov:
        o["nesterov"] = nesterov
    if label_smoothing:
        o["labelSmoothing"] = label_smoothing
    return o


CASES = [
    {"name": "lenet-sgd", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 5,
     "optimizer": optimizer("sgd", 0.5)},
    {"name": "lenet-sgd-weight-decay", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 5,
     "optimizer": optimizer("sgd", 0.5, weight_decay=0.05)},
    {"name": "lenet-adam", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 5,
     "optimizer": optimizer("adam", 1e-3)},
    {"name": "lenet-adam-warmup-cosine", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 6,
     "optimizer": optimizer("adam", 3e-3, weight_decay=5e-4, warmup=2, cosine=True)},
    {"name": "lenet-adamw", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 5,
     "optimizer": optimizer("adamw", 1e-2, weight_decay=0.5)},
    {"name": "batchnorm-sgd", "network": "batchnorm", "make": BatchNormNet, "input": 28, "batch": 16,
     "steps": 5, "optimizer": optimizer("sgd", 0.02)},
    {"name": "alexnet-nodropout-adam", "network": "alexnet-nodropout", "make": lambda: AlexNet(dropout=False),
     "input": 65, "batch": 8, "steps": 5, "optimizer": optimizer("adam", 1e-4)},
    {"name": "alexnet-nodropout-sgd", "network": "alexnet-nodropout", "make": lambda: AlexNet(dropout=False),
     "input": 65, "batch": 8, "steps": 5, "optimizer": optimizer("sgd", 0.005)},
    {"name": "lenet-sgd-momentum", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 6,
     "optimizer": optimizer("sgd", 0.1, weight_decay=5e-4, momentum=0.9)},
    {"name": "lenet-sgd-nesterov-warmup-cosine", "network": "lenet", "make": LeNet, "input": 28, "batch": 16,
     "steps": 6, "optimizer": optimizer("sgd", 0.1, weight_decay=5e-4, warmup=2, cosine=True, momentum=0.9,
                                        nesterov=True)},
    {"name": "lenet-adam-label-smoothing", "network": "lenet", "make": LeNet, "input": 28, "batch": 16, "steps": 5,
     "optimizer": optimizer("adam", 1e-3, label_smoothing=0.1)},
    {"name": "batchnorm-sgd-nesterov-label-smoothing", "network": "batchnorm", "make": BatchNormNet, "input": 28,
     "batch": 16, "steps": 5, "optimizer": optimizer("sgd", 0.02, momentum=0.9, nesterov=True, label_smoothing=0.2)},
    {"name": "alexnet-nodropout-sgd-nesterov", "network": "alexnet-nodropout", "make": lambda: AlexNet(dropout=False),
     "input": 65, "batch": 8, "steps": 5, "optimizer": optimizer("sgd", 0.005, momentum=0.9, nesterov=True,
                                                                  label_smoothing=0.1)},
    # the adaptive pool of a run with a resize schedule: the network built for 224 (a 5x5 map before the flatten)
    # trained at 112 (a 2x2 map, spread over 5x5 cells) and at 256 (6x6, pooled into 5x5 overlapping cells)
    {"name": "alexnet-nodropout-adaptive-pool-112", "network": "alexnet-nodropout", "poolAt": 224,
     "make": lambda: AlexNet(dropout=False, pool_to=5), "input": 112, "batch": 8, "steps": 4,
     "optimizer": optimizer("adam", 1e-4)},
    {"name": "alexnet-nodropout-adaptive-pool-256", "network": "alexnet-nodropout", "poolAt": 224,
     "make": lambda: AlexNet(dropout=False, pool_to=5), "input": 256, "batch": 4, "steps": 3,
     "optimizer": optimizer("sgd", 0.005, momentum=0.9)},
]


if __name__ == "__main__":
    # python/fidelity.py [OUT_DIR [CASE_NAME ...]]: every case, or the named ones
    out = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/fidelity"
    for case in [c for c in CASES if len(sys.argv) < 3 or c["name"] in sys.argv[2:]]:
        result = run(case)
        with open(f"{out}/{case['name']}.json", "w") as f:
            json.dump(result, f, indent=1)
        print(case["name"], " ".join(f"{v:.4f}" for v in result["losses"]))

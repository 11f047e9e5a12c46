"""The project's networks in PyTorch, written the way the chapter writes its AlexNet.

Each model keeps its layers in an ``nn.Sequential`` called ``net``, so that the tensors of its
state dict are named ``net.<index>.weight``, ``net.<index>.bias`` (and, for batch normalization,
``net.<index>.running_mean``, ``running_var``, ``num_batches_tracked``): the names
``bin/alexnet export`` writes. ``AlexNet`` is the chapter's, layer for layer (without the d2l
base class, so that only torch is needed).
"""
from torch import nn


class AlexNet(nn.Module):
    """The chapter's AlexNet (``alexnet``); ``dropout=False`` is ``alexnet-nodropout``."""

    def __init__(self, num_classes=10, dropout=True, pool_to=None):
        super().__init__()
        # pool_to: torchvision's AdaptiveAvgPool2d before the flatten, as a run with a resize schedule has it (5 for
        # 224x224 inputs); applied in forward, so that the state dict keeps the chapter's names
        self.pool_to = pool_to
        drop = (lambda: [nn.Dropout(p=0.5)]) if dropout else (lambda: [])
        self.net = nn.Sequential(
            nn.LazyConv2d(96, kernel_size=11, stride=4, padding=1),
            nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
            nn.LazyConv2d(256, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.LazyConv2d(384, kernel_size=3, padding=1), nn.ReLU(),
            nn.LazyConv2d(384, kernel_size=3, padding=1), nn.ReLU(),
            nn.LazyConv2d(256, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2), nn.Flatten(),
            nn.LazyLinear(4096), nn.ReLU(), *drop(),
            nn.LazyLinear(4096), nn.ReLU(), *drop(),
            nn.LazyLinear(num_classes))

    def forward(self, x):
        if self.pool_to is None:
            return self.net(x)
        return self.net[13:](nn.functional.adaptive_avg_pool2d(self.net[:13](x), self.pool_to))


class AlexNetSmall(nn.Module):
    """``alexnet-small``: narrower, on 112x112, with batch normalization."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.net = nn.Sequential(
            nn.LazyConv2d(48, kernel_size=5, stride=2, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2), nn.BatchNorm2d(48),
            nn.LazyConv2d(96, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2), nn.BatchNorm2d(96),
            nn.LazyConv2d(144, kernel_size=3, padding=1), nn.BatchNorm2d(144), nn.ReLU(),
            nn.LazyConv2d(144, kernel_size=3, padding=1), nn.BatchNorm2d(144), nn.ReLU(),
            nn.LazyConv2d(96, kernel_size=3, padding=1), nn.BatchNorm2d(96), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2), nn.Flatten(),
            nn.LazyLinear(1024), nn.ReLU(), nn.Dropout(p=0.5),
            nn.LazyLinear(1024), nn.ReLU(), nn.Dropout(p=0.5),
            nn.LazyLinear(num_classes))

    def forward(self, x):
        return self.net(x)


class AlexNet28(nn.Module):
    """``alexnet28``: five 3x3 convolutions with batch normalization on the native 28x28 images."""

    def __init__(self, num_classes=10):
        super().__init__()
        layers = []
        for channels, pool in ((32, True), (64, True), (128, False), (128, False), (64, True)):
            layers += [nn.LazyConv2d(channels, kernel_size=3, padding=1), nn.BatchNorm2d(channels), nn.ReLU()]
            if pool:
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        self.net = nn.Sequential(
            *layers, nn.Flatten(),
            nn.LazyLinear(512), nn.ReLU(), nn.Dropout(p=0.5),
            nn.LazyLinear(256), nn.ReLU(), nn.Dropout(p=0.5),
            nn.LazyLinear(num_classes))

    def forward(self, x):
        return self.net(x)


class LeNet(nn.Module):
    """``lenet``: the book's LeNet-5; ``modern=True`` is ``lenet-modern`` (ReLU, max pooling, dropout)."""

    def __init__(self, num_classes=10, modern=False):
        super().__init__()
        act = nn.ReLU if modern else nn.Sigmoid
        pool = nn.MaxPool2d if modern else nn.AvgPool2d
        drop = (lambda: [nn.Dropout(p=0.5)]) if modern else (lambda: [])
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5, padding=2), act(), pool(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), act(), pool(kernel_size=2, stride=2), nn.Flatten(),
            nn.LazyLinear(120), act(), *drop(),
            nn.LazyLinear(84), act(), *drop(),
            nn.LazyLinear(num_classes))

    def forward(self, x):
        return self.net(x)


# Each network for num_classes outputs (the chapter's 10 by default); the input channels are whatever the first
# input has, since the layers are lazy (LazyConv2d), as in the chapter.
NETWORKS = {
    "alexnet": lambda num_classes=10: AlexNet(num_classes),
    "alexnet-nodropout": lambda num_classes=10: AlexNet(num_classes, dropout=False),
    "alexnet-small": lambda num_classes=10: AlexNetSmall(num_classes),
    "alexnet28": lambda num_classes=10: AlexNet28(num_classes),
    "lenet": lambda num_classes=10: LeNet(num_classes),
    "lenet-modern": lambda num_classes=10: LeNet(num_classes, modern=True),
}

INPUT_SIZE = {"alexnet": 224, "alexnet-nodropout": 224, "alexnet-small": 112,
              "alexnet28": 28, "lenet": 28, "lenet-modern": 28}

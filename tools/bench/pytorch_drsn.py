#!/usr/bin/env python3
"""PyTorch reference of `./drsn bench`'s training figure, for side-by-side runs on the same machine.

The network is the DRSN-CW (or ResNet) of ../shared/spec/BENCHMARK.md, paper Table II: input 1x2048,
Conv(4, width 3, stride 2), three stages of four residual units (channels 4, 8, 16; the first unit of each
stage has stride 2), each BN-ReLU-Conv(3)-BN-ReLU-Conv(3), soft thresholding with channel-wise thresholds
tau_c = alpha_c * mean|x_c|, alpha = sigmoid(FC(ReLU(BN(FC(GAP|x|))))), and an identity shortcut that
subsamples and zero-pads new channels; head BN-ReLU-GAP-dense(10). 'Same' padding as libnd4j (left pad
floor(total/2)), convolution biases on: 11,586 trainable parameters for DRSN-CW, 12,266 with the batch
norms' running mean and variance, which is what DL4J's numParams() (`"params"` of `./drsn bench`) counts.

What is timed is what drsn-model's SpeedBenchmark times for `train_windows_per_sec`: `--batches` (47)
batches of 128 random N(0,1) windows with one-hot labels (i*7+b) % 10, prepared before timing, one warm-up
epoch, then the wall time of one epoch of forward, loss, backward and SGD step (momentum 0.9, weight decay
1e-4; the DL4J side applies L2 to weights only, which costs the same). `train_windows_per_sec_noise` times
a second epoch that, per batch, also adds Gaussian noise at -4 dB SNR (scaled to the exact power,
BENCHMARK.md "Noise") and standardises each window, the measure REFERENCE-RESULTS.md quotes ("noise and
standardisation included"); the DL4J figure does not include its data pipeline.

Usage: python3 tools/bench/pytorch_drsn.py [--model drsn-cw|resnet] [--threads 2] [--batches 47] [--json]
Needs PyTorch (Debian: apt-get install python3-torch, run with /usr/bin/python3).
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def same_pad(length, kernel, stride):
    """(left, right) 'same' padding as libnd4j: out = ceil(L/s), left = floor(total/2)."""
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + kernel - length, 0)
    return total // 2, total - total // 2


class SameConv(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.kernel, self.stride = kernel, stride
        self.conv = nn.Conv1d(cin, cout, kernel, stride=stride, bias=True)

    def forward(self, x):
        left, right = same_pad(x.shape[-1], self.kernel, self.stride)
        return self.conv(F.pad(x, (left, right)))


class Unit(nn.Module):
    """RSBU-CW (shrink=True) or a plain residual unit (shrink=False)."""

    def __init__(self, cin, cout, stride, shrink):
        super().__init__()
        self.cin, self.cout, self.stride, self.shrink = cin, cout, stride, shrink
        self.bn1 = nn.BatchNorm1d(cin)
        self.conv1 = SameConv(cin, cout, 3, stride)
        self.bn2 = nn.BatchNorm1d(cout)
        self.conv2 = SameConv(cout, cout, 3, 1)
        if shrink:
            self.fc1 = nn.Linear(cout, cout)
            self.bnt = nn.BatchNorm1d(cout)
            self.fc2 = nn.Linear(cout, cout)

    def forward(self, x):
        b = self.conv1(F.relu(self.bn1(x)))
        b = self.conv2(F.relu(self.bn2(b)))
        if self.shrink:
            z = b.abs().mean(dim=2)
            alpha = torch.sigmoid(self.fc2(F.relu(self.bnt(self.fc1(z)))))
            tau = (alpha * z).unsqueeze(2)
            b = torch.sign(b) * torch.clamp(b.abs() - tau, min=0.0)
        s = x[:, :, ::self.stride] if self.stride > 1 else x
        if self.cout > self.cin:
            s = F.pad(s, (0, 0, 0, self.cout - self.cin))
        return b + s


class Net(nn.Module):
    def __init__(self, shrink, classes=10):
        super().__init__()
        self.stem = SameConv(1, 4, 3, 2)
        units, cin = [], 4
        for cout in (4, 8, 16):
            for u in range(4):
                units.append(Unit(cin, cout, 2 if u == 0 else 1, shrink))
                cin = cout
        self.units = nn.Sequential(*units)
        self.bn = nn.BatchNorm1d(cin)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        h = F.relu(self.bn(self.units(self.stem(x))))
        return self.fc(h.mean(dim=2))


def add_noise_and_standardise(x, snr_db, generator):
    """x + n with mean(n^2) = mean(x^2) / 10^(snr/10) per window, then zero mean and unit variance per window."""
    noise = torch.randn(x.shape, generator=generator)
    power = x.pow(2).mean(dim=2, keepdim=True) / (10 ** (snr_db / 10))
    noise = noise * torch.sqrt(power / noise.pow(2).mean(dim=2, keepdim=True))
    y = x + noise
    return (y - y.mean(dim=2, keepdim=True)) / y.std(dim=2, unbiased=False, keepdim=True)


def epoch(model, optimiser, batches, noise_generator=None):
    """Trains one epoch; returns (wall seconds, process CPU seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for x, y in batches:
        if noise_generator is not None:
            x = add_noise_and_standardise(x, -4.0, noise_generator)
        optimiser.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimiser.step()
    return time.perf_counter() - wall, time.process_time() - cpu


def latency_ms(model, batch, warmup, runs):
    x = torch.randn(batch, 1, 2048)
    times = []
    with torch.no_grad():
        for i in range(warmup + runs):
            t = time.perf_counter()
            model(x)
            if i >= warmup:
                times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["drsn-cw", "resnet"], default="drsn-cw")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", type=int, default=47)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    if args.batches <= 0 or args.threads <= 0:
        parser.error(f"--batches and --threads must be positive, got {args.batches}, {args.threads}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Net(shrink=args.model == "drsn-cw")
    trainable = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    batches = []
    for b in range(args.batches):
        x = torch.randn(128, 1, 2048)
        y = torch.tensor([(i * 7 + b) % 10 for i in range(128)])
        batches.append((x, y))
    model.train()
    epoch(model, optimiser, batches)  # warm-up
    wall, cpu = epoch(model, optimiser, batches)
    wall_noise, _ = epoch(model, optimiser, batches, torch.Generator().manual_seed(2))
    model.eval()
    windows = args.batches * 128
    result = {
        "implementation": f"pytorch {torch.__version__}",
        "model": args.model,
        "threads": torch.get_num_threads(),
        "train_windows_per_sec": round(windows / wall, 1),
        "train_windows_per_cpu_sec": round(windows / cpu, 1),
        "train_windows_per_sec_noise": round(windows / wall_noise, 1),
        "infer_batch1_ms_median": round(latency_ms(model, 1, 100, 500), 3),
        "infer_batch64_ms_median": round(latency_ms(model, 64, 20, 100), 3),
        "params": trainable + buffers,
        "trainable_params": trainable,
    }
    text = json.dumps(result)
    print(text if args.json else text.replace(", ", ",\n  "))


if __name__ == "__main__":
    main(sys.argv[1:])

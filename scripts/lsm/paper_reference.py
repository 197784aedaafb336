#!/usr/bin/python3
"""The RRAM zero-shot LSM paper's N-MNIST pipeline, rebuilt in numpy, on a folder of N-MNIST files.

An independent check of `neuromorphic run arch/presets/rram-lsm-nmnist-paper.yaml`: the same
files, the same encoding, the paper's reservoir and readout written from its description and its
public code's defaults (MrLinNing/MemristorLSM, LSM-NMNIST/lsm_sim_gaussian.py and
run_lsm_gau_sim.sh; the reservoir update of MrLinNing/RMAdaptiveMachine, models.py), sharing no
code with the simulator. Prints, per seed, the reservoir activity and the test accuracy of the
paper's readout (spike rates, linear softmax layer, Adam) and of the simulator's ridge readout on
10-bin spike counts, then the mean and standard deviation over the seeds.

    /usr/bin/python3 scripts/lsm/paper_reference.py ../shared/fixtures/nmnist-small [--seeds 1 2 3 4 5]

Needs numpy (Debian: apt-get install -y python3-numpy); without it the script exits 1 saying so.

The pipeline:
  encoding   events in [0, 300 ms] -> 50 bins (an event at exactly 300 ms goes to the last bin),
             16 x 16 centre crop of the 34 x 34 sensor, ON events only, binary: [50 x 256]
  weights    W_in = const N(mean_l1, std_l1) [200 x 256], W_rec = const N(mean_l2, std_l2)
             [200 x 200], dense; const 0.07, means/stds in uS as in the public code (0.00156 /
             6.61329 and 0.00606 / 6.67268): the measured differential-conductance distributions
             of the RRAM arrays. No bias (the paper's reservoir is the crossbar alone).
  neuron     mem = mem * decay * (1 - spike) + W_in x + W_rec h;  spike = mem > 5;  decay 0.9
  readouts   (a) the paper's: rate = spikes / 50 per neuron, linear layer 200 -> 10 (PyTorch's
             default initialisation, U(-1/sqrt(200), 1/sqrt(200))), cross-entropy, Adam lr 1e-4,
             batch 100, samples in one seeded random order; accuracy after the last step (the
             public code reports the best epoch on the test set, which flatters it). Two
             schedules: the paper's 60,000 Adam steps (100 epochs of its 60,000 training samples;
             the preset's `steps: 60000`), and 100 epochs of the files at hand (a few hundred steps
             on a small subset: the layer is barely trained).
             (b) the simulator's: ridge regression on standardised 10-bin spike counts, one-hot
             targets, lambda from {0.01 ... 10000} on a stratified 20 % validation part of the
             training files, refitted on all of them.
  baseline   the ridge readout on the raw input's 10-bin counts.
"""
import argparse
import os
import sys

np = None  # numpy, imported by import_numpy() once the arguments are read: --help needs none


def import_numpy():
    """Imports numpy as the module's np; without it, names the package to install instead of a traceback."""
    global np
    try:
        import numpy
    except ImportError:
        # Debian's /usr/bin/python3 has no numpy until python3-numpy is installed.
        sys.exit("paper_reference.py: needs numpy: install Debian's python3-numpy (sudo apt-get install -y python3-numpy) or pip's numpy")
    np = numpy

SENSOR = 34
OVERFLOW_Y = 240
TIMESTAMP_SPAN_US = 1 << 23


def read_bin(path):
    """N-MNIST's 5-byte events: x, y, polarity (bit 7) and a 23-bit microsecond time."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % 5:
        sys.exit(f"{path}: {raw.size} bytes is not a whole number of 5-byte events")
    e = raw.reshape(-1, 5).astype(np.int64)
    x, y, b2 = e[:, 0], e[:, 1], e[:, 2]
    overflow = y == OVERFLOW_Y
    t = ((b2 & 0x7F) << 16) | (e[:, 3] << 8) | e[:, 4]
    t = t + TIMESTAMP_SPAN_US * np.cumsum(overflow)
    keep = ~overflow
    return x[keep], y[keep], b2[keep] >> 7, t[keep]


def encode(path, bins=50, duration_us=300_000, crop=16):
    x, y, p, t = read_bin(path)
    x0 = (SENSOR - crop) // 2
    keep = (p == 1) & (t <= duration_us) & (x >= x0) & (x < x0 + crop) & (y >= x0) & (y < x0 + crop)
    x, y, t = x[keep] - x0, y[keep] - x0, t[keep]
    b = np.minimum(t * bins // duration_us, bins - 1)
    raster = np.zeros((bins, crop * crop), dtype=np.float64)
    raster[b, y * crop + x] = 1.0
    return raster


def load(root):
    inputs, labels, test = [], [], []
    for split, is_test in (("Train", False), ("Test", True)):
        folder = os.path.join(root, split)
        if not os.path.isdir(folder):
            continue
        for digit in sorted((d for d in os.listdir(folder) if d.isdigit()), key=int):
            for name in sorted(f for f in os.listdir(os.path.join(folder, digit)) if f.endswith(".bin")):
                inputs.append(encode(os.path.join(folder, digit, name)))
                labels.append(int(digit))
                test.append(is_test)
    if not inputs:
        sys.exit(f"{root}: no Train/<digit>/*.bin or Test/<digit>/*.bin files")
    return np.stack(inputs), np.array(labels), np.array(test)


def reservoir(x, rng, neurons=200, const=0.07, decay=0.9, threshold=5.0,
              l1=(0.00156, 6.61329), l2=(0.00606, 6.67268)):
    """x: [samples, steps, inputs] -> spikes [samples, steps, neurons]."""
    w_in = const * rng.normal(l1[0], l1[1], size=(neurons, x.shape[2]))
    w_rec = const * rng.normal(l2[0], l2[1], size=(neurons, neurons))
    samples, steps, _ = x.shape
    mem = np.zeros((samples, neurons))
    spike = np.zeros((samples, neurons))
    out = np.zeros((samples, steps, neurons))
    for t in range(steps):
        mem = mem * decay * (1 - spike) + x[:, t] @ w_in.T + spike @ w_rec.T
        spike = (mem > threshold).astype(np.float64)
        out[:, t] = spike
    return out


def binned(raster, bins):
    samples, steps, channels = raster.shape
    index = np.minimum(np.arange(steps) * bins // steps, bins - 1)
    f = np.zeros((samples, channels, bins))
    for b in range(bins):
        f[:, :, b] = raster[:, index == b].sum(axis=1)
    return f.reshape(samples, -1)


def ridge_fit(x, y, classes, lam):
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd <= 1e-12] = 1.0
    z = (x - mean) / sd
    onehot = np.eye(classes)[y]
    y_mean = onehot.mean(axis=0)
    target = onehot - y_mean
    n, d = z.shape
    if n < d:
        w = z.T @ np.linalg.solve(z @ z.T + lam * np.eye(n), target)
    else:
        w = np.linalg.solve(z.T @ z + lam * np.eye(d), z.T @ target)
    return lambda q: ((q - mean) / sd) @ w + y_mean


def stratified_validation(labels, rng, fraction=0.2):
    validation = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        validation.extend(idx[:max(1, int(round(len(idx) * fraction)))])
    mask = np.zeros(len(labels), dtype=bool)
    mask[validation] = True
    return mask


def ridge_accuracy(features, labels, test, rng, classes=10, lambdas=(0.01, 0.1, 1, 10, 100, 1000, 10000)):
    train_idx = np.flatnonzero(~test)
    val = stratified_validation(labels[train_idx], rng)
    tr, va = train_idx[~val], train_idx[val]
    best, best_lam = -1.0, None
    for lam in sorted(lambdas, reverse=True):
        predict = ridge_fit(features[tr], labels[tr], classes, lam)
        acc = np.mean(predict(features[va]).argmax(axis=1) == labels[va])
        if acc > best:
            best, best_lam = acc, lam
    predict = ridge_fit(features[train_idx], labels[train_idx], classes, best_lam)
    return np.mean(predict(features[test]).argmax(axis=1) == labels[test])


def softmax_accuracy(features, labels, test, rng, classes=10, lr=1e-4, batch=100, epochs=100, steps=0):
    x, y = features[~test], labels[~test]
    order = rng.permutation(len(y))
    x, y = x[order], y[order]
    d = x.shape[1]
    bound = 1 / np.sqrt(d)
    w = rng.uniform(-bound, bound, size=(d, classes))
    b = rng.uniform(-bound, bound, size=classes)
    params = [w, b]
    m = [np.zeros_like(q) for q in params]
    v = [np.zeros_like(q) for q in params]
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    onehot = np.eye(classes)[y]
    starts = list(range(0, len(y), batch))
    total = steps if steps > 0 else epochs * len(starts)
    for k in range(total):
        start = starts[k % len(starts)]
        xb, yb = x[start:start + batch], onehot[start:start + batch]
        logits = xb @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        delta = (prob - yb) / len(yb)
        grads = [xb.T @ delta, delta.sum(axis=0)]
        step += 1
        for q, g, mq, vq in zip(params, grads, m, v):
            mq *= beta1
            mq += (1 - beta1) * g
            vq *= beta2
            vq += (1 - beta2) * g * g
            q -= lr * (mq / (1 - beta1 ** step)) / (np.sqrt(vq / (1 - beta2 ** step)) + eps)
    return np.mean((features[test] @ w + b).argmax(axis=1) == labels[test])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="N-MNIST folder with Train/<digit>/*.bin and Test/<digit>/*.bin")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--softmax-steps", type=int, default=60000, help="Adam steps of the paper's schedule (default 60000)")
    args = parser.parse_args()
    import_numpy()
    x, labels, test = load(args.folder)
    if not test.any():
        sys.exit(f"{args.folder}: no Test/ folder; the reference needs the dataset's own test split")
    print(f"{len(labels)} samples ({(~test).sum()} train, {test.sum()} test), {x.shape[2]} inputs x {x.shape[1]} steps, "
          f"input activity {100 * x.mean():.1f} %")
    baseline = ridge_accuracy(binned(x, 10), labels, test, np.random.default_rng(0))
    print(f"raw input, 10-bin ridge: {100 * baseline:.1f} %")
    rows = []
    print(f"seed  activity  softmax {args.softmax_steps} steps  softmax 100 epochs  10-bin ridge")
    for seed in args.seeds:
        rng = np.random.default_rng(seed)
        spikes = reservoir(x, rng)
        activity = spikes.mean()
        rates = spikes.mean(axis=1)
        soft = softmax_accuracy(rates, labels, test, np.random.default_rng([seed, 1]), steps=args.softmax_steps)
        soft100 = softmax_accuracy(rates, labels, test, np.random.default_rng([seed, 1]), epochs=100)
        ridge = ridge_accuracy(binned(spikes, 10), labels, test, np.random.default_rng([seed, 2]))
        rows.append((activity, soft, soft100, ridge))
        print(f"{seed:4d}  {100 * activity:6.1f} %  {100 * soft:19.1f} %  {100 * soft100:16.1f} %  {100 * ridge:10.1f} %")
    a = 100 * np.array(rows)
    mean, sd = a.mean(axis=0), (a.std(axis=0, ddof=1) if len(rows) > 1 else np.zeros(a.shape[1]))
    print("mean  " + "  ".join(f"{m:.1f} +- {d:.1f} %" for m, d in zip(mean, sd)))


if __name__ == "__main__":
    main()

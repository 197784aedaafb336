#!/usr/bin/env python3
"""Write random Meta-SpikeFormer (Spike-driven Transformer V2) weights under the parameter names
and shapes of the public BICLab code (classification/models.py), numpy only.

The tensors are what a state dict of Spiking_vit_MetaFormer holds: downsample*, ConvBlock*,
block3.*, block4.* and head.*, each BatchNorm with weight, bias, running_mean, running_var and
num_batches_tracked. Values are random but scaled so that the spiking layers fire (a network
with plain Kaiming weights falls silent within a few LIFs); they carry no trained meaning.

    random_weights.py OUT.safetensors [--channels 16,32,64,96] [--classes 10] [--seed 1]
                      [--dtype f32|f16|bf16] [--gain 2.5]
    random_weights.py OUT.npz ...          (numpy.savez)

Defaults give `sdt-v2-small` (meta-spikeformer-16-32-64-96, 10 classes). The output is
bit-identical for the same arguments (numpy's PCG64 generator).
"""
import argparse
import json
import struct
import sys

import numpy as np


def bn(d, prefix, c):
    d[prefix + ".weight"] = ("bn_gamma", (c,))
    d[prefix + ".bias"] = ("bn_beta", (c,))
    d[prefix + ".running_mean"] = ("bn_mean", (c,))
    d[prefix + ".running_var"] = ("bn_var", (c,))
    d[prefix + ".num_batches_tracked"] = ("count", ())


def conv(d, prefix, cout, cin, k, bias):
    d[prefix + ".weight"] = ("conv", (cout, cin, k, k))
    if bias:
        d[prefix + ".bias"] = ("bias", (cout,))


def downsample(d, name, cin, cout, k):
    conv(d, name + ".encode_conv", cout, cin, k, True)
    bn(d, name + ".encode_bn", cout)


def conv_block(d, p, c, ratio):
    conv(d, p + ".Conv.pwconv1", 2 * c, c, 1, False)
    bn(d, p + ".Conv.bn1", 2 * c)
    conv(d, p + ".Conv.dwconv", 2 * c, 1, 7, False)
    conv(d, p + ".Conv.pwconv2", c, 2 * c, 1, False)
    bn(d, p + ".Conv.bn2", c)
    conv(d, p + ".conv1", ratio * c, c, 3, False)
    bn(d, p + ".bn1", ratio * c)
    conv(d, p + ".conv2", c, ratio * c, 3, False)
    bn(d, p + ".bn2", c)


def rep_conv(d, p, c):
    conv(d, p + ".0.body.0", c, c, 1, False)
    bn(d, p + ".0.body.1.bn", c)
    conv(d, p + ".0.body.2.0", c, 1, 3, False)
    conv(d, p + ".0.body.2.1", c, c, 1, False)
    bn(d, p + ".0.body.2.2", c)
    bn(d, p + ".1", c)


def ms_block(d, p, c, ratio):
    for x in ("q", "k", "v", "proj"):
        rep_conv(d, p + ".attn." + x + "_conv", c)
    h = ratio * c
    d[p + ".mlp.fc1_conv.weight"] = ("conv", (h, c, 1))
    d[p + ".mlp.fc1_conv.bias"] = ("bias", (h,))
    bn(d, p + ".mlp.fc1_bn", h)
    d[p + ".mlp.fc2_conv.weight"] = ("conv", (c, h, 1))
    d[p + ".mlp.fc2_conv.bias"] = ("bias", (c,))
    bn(d, p + ".mlp.fc2_bn", c)


def meta_spikeformer(channels, classes, ratio=4, in_channels=3, stage3=6, stage4=2):
    c1, c2, c3, c4 = channels
    d = {}
    downsample(d, "downsample1_1", in_channels, c1 // 2, 7)
    conv_block(d, "ConvBlock1_1.0", c1 // 2, ratio)
    downsample(d, "downsample1_2", c1 // 2, c1, 3)
    conv_block(d, "ConvBlock1_2.0", c1, ratio)
    downsample(d, "downsample2", c1, c2, 3)
    conv_block(d, "ConvBlock2_1.0", c2, ratio)
    conv_block(d, "ConvBlock2_2.0", c2, ratio)
    downsample(d, "downsample3", c2, c3, 3)
    for j in range(stage3):
        ms_block(d, "block3.%d" % j, c3, ratio)
    downsample(d, "downsample4", c3, c4, 3)
    for j in range(stage4):
        ms_block(d, "block4.%d" % j, c4, ratio)
    d["head.weight"] = ("linear", (classes, c4))
    d["head.bias"] = ("bias", (classes,))
    return d


def draw(rng, kind, shape, gain):
    if kind == "count":
        return np.array(1000, dtype=np.int64)
    if kind == "bn_gamma":
        return rng.uniform(0.5, 1.5, shape)
    if kind == "bn_var":
        return rng.uniform(0.5, 1.5, shape)
    if kind in ("bn_beta", "bn_mean"):
        return rng.normal(0.0, 0.1, shape)
    if kind == "bias":
        return rng.normal(0.0, 0.1, shape)
    fan_in = int(np.prod(shape[1:]))
    sigma = np.sqrt(2.0 / fan_in)
    if kind == "conv":
        sigma *= gain  # spikes at a rate p carry p of a dense input's variance
    return rng.normal(0.0, sigma, shape)


def to_bf16_bytes(a):
    bits = np.ascontiguousarray(a, dtype="<f4").view("<u4")
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")  # round to nearest even
    return rounded.tobytes()


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        if a.dtype == np.int64:
            raw, tag = np.ascontiguousarray(a, dtype="<i8").tobytes(), "I64"
        elif dtype == "bf16":
            raw, tag = to_bf16_bytes(a), "BF16"
        elif dtype == "f16":
            raw, tag = np.ascontiguousarray(a, dtype="<f2").tobytes(), "F16"
        else:
            raw, tag = np.ascontiguousarray(a, dtype="<f4").tobytes(), "F32"
        header[name] = {"dtype": tag, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (len(text) + 8) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode("utf-8"))
        for b in blobs:
            f.write(b)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--channels", default="16,32,64,96")
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dtype", choices=("f32", "f16", "bf16"), default="f32")
    ap.add_argument("--gain", type=float, default=2.5)
    args = ap.parse_args(argv)
    channels = [int(c) for c in args.channels.split(",")]
    if len(channels) != 4:
        ap.error("--channels needs four numbers")
    rng = np.random.default_rng(args.seed)
    tensors = {}
    for name, (kind, shape) in meta_spikeformer(channels, args.classes).items():
        a = draw(rng, kind, shape, args.gain)
        tensors[name] = a if a.dtype == np.int64 else a.astype(np.float32)
    if args.out.endswith(".npz"):
        np.savez(args.out, **tensors)
    elif args.out.endswith(".safetensors"):
        write_safetensors(args.out, tensors, args.dtype)
    else:
        ap.error("the output must end in .safetensors or .npz")
    print("%s: %d tensors, %d parameters (PyTorch counting: no running statistics)" % (args.out, len(tensors),
          sum(int(np.prod(a.shape)) for n, a in tensors.items()
              if not n.endswith(("num_batches_tracked", "running_mean", "running_var")))))


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Convert a PyTorch checkpoint of Spike-driven Transformer V1 or Meta-SpikeFormer (BICLab code)
to .safetensors, which `neuromorphic` reads (transformer: weights: FILE).

    convert_checkpoint.py CHECKPOINT.pth OUT.safetensors [--dtype f32|f16|bf16]

Needs torch (to unpickle the checkpoint); writes the file itself, so the safetensors package is
not needed. The state dict is taken from the checkpoint's 'model', 'state_dict' or
'model_state_dict' entry, or the checkpoint itself; a leading 'module.' (DataParallel) is
dropped. Every tensor is written (integer ones such as num_batches_tracked as I64); the
simulator reads the names it needs and reports the rest as unused.
"""
import argparse
import json
import struct
import sys


def state_dict_of(checkpoint):
    for key in ("model", "state_dict", "model_state_dict"):
        if isinstance(checkpoint, dict) and key in checkpoint and isinstance(checkpoint[key], dict):
            return checkpoint[key]
    return checkpoint


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--dtype", choices=("f32", "f16", "bf16"), default="f32")
    args = ap.parse_args(argv)
    if not args.out.endswith(".safetensors"):
        ap.error("the output must end in .safetensors")
    # After the arguments, so --help and usage errors work without PyTorch installed.
    try:
        import torch
    except ImportError:
        ap.exit(2, "convert_checkpoint.py: error: needs PyTorch to read the checkpoint (pip install torch)\n")
    try:
        checkpoint = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    except TypeError:  # torch < 1.13 has no weights_only
        checkpoint = torch.load(args.checkpoint, map_location="cpu")
    state = state_dict_of(checkpoint)
    floats = {"f32": (torch.float32, "F32"), "f16": (torch.float16, "F16"), "bf16": (torch.bfloat16, "BF16")}
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if not torch.is_tensor(t):
            continue
        name = name[len("module."):] if name.startswith("module.") else name
        t = t.detach().cpu().contiguous()
        if t.is_floating_point():
            dtype, tag = floats[args.dtype]
            t = t.to(dtype)
        elif t.dtype == torch.bool:
            t, tag = t.to(torch.uint8), "BOOL"
        else:
            t, tag = t.to(torch.int64), "I64"
        # Raw little-endian bytes (bfloat16 has no numpy type: go through int16).
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().astype(
            (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": tag, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (len(text) + 8) % 8) % 8)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode("utf-8"))
        for b in blobs:
            f.write(b)
    import os
    os.replace(tmp, args.out)
    print("%s: %d tensors" % (args.out, len(header)))


if __name__ == "__main__":
    main(sys.argv[1:])

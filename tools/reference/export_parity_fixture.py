"""Writes the parity fixtures of tests/CtSegLabel.Models.Tests: for a small SwinUNETR-V2 and a small slice
transformer, random weights (a state_dict, as MONAI/PyTorch users save them), the architecture as the C#
checkpoint metadata spells it, one random input and the reference outputs in eval mode.

    /usr/bin/python3 tools/reference/export_parity_fixture.py tests/fixtures/models

Needs Debian's python3-torch (apt-get install -y python3-torch). Deterministic (fixed seeds).
Channel counts are chosen so that fp32 rounding stays far below the 1e-4 tolerance (the reference in
float64 differs from itself in float32 by < 1e-5): a layer norm over very few channels amplifies
rounding wherever those channels happen to be nearly equal.
Weights are rounded to values that float16 represents exactly and stored as float16 to keep the
fixture small; the computation on both sides is float32 (the C# import converts dtypes).
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slice_transformer import SliceTransformer  # noqa: E402
from swin_unetr_v2 import SwinUnetrV2  # noqa: E402

SWIN = dict(in_channels=1, classes=3, embedding_dim=2, feature_size=6, depths=[2, 2, 2, 2], heads=[1, 2, 4, 8],
            window_size=7, mlp_ratio=4.0, drop_rate=0.2, attn_drop_rate=0.0, drop_path_rate=0.0, use_v2=True)
SWIN_INPUT = (1, 1, 32, 32, 64)

SLICE = dict(in_channels=1, classes=3, embedding_dim=2, slice_size=32, max_slices=16, pre_embedding_channels=8,
             hidden_size=32, layers=4, heads=4, mlp_dim=48, skip_every=2, decoder_channels=12,
             image_branch_channels=6, head_channels=12, drop_rate=0.2, negative_slope=0.01)
SLICE_INPUT = (1, 1, 12, 32, 32)


def randomise(model, seed):
    """Every floating parameter drawn anew (a freshly initialised network has zero biases and unit norms,
    which would hide a swapped bias or norm), then rounded to float16."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            scale = 1.0 / max(1, p[0].numel()) ** 0.5 if p.dim() > 1 else 0.1
            base = 1.0 if name.endswith("norm.weight") or ".norm1.weight" in name or ".norm2.weight" in name else 0.0
            p.copy_((base + scale * torch.randn(p.shape, generator=g)).half().float())


def export(out_dir, stem, model, arch_json, input_shape, seed):
    randomise(model, seed)
    model.eval()
    x = torch.rand(input_shape, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        semantic, embedding = model(x)
    # relative_position_index is a constant of the window size (the importer derives it, and checks it
    # when a file carries it): leaving it out keeps 7 MB of int64 out of the fixture.
    state = {k: v.half() for k, v in model.state_dict().items() if not k.endswith("relative_position_index")}
    torch.save(state, os.path.join(out_dir, f"{stem}.pt"))
    torch.save({"input": x, "semantic": semantic, "embedding": embedding}, os.path.join(out_dir, f"{stem}_io.pt"))
    with open(os.path.join(out_dir, f"{stem}.json"), "w") as f:
        json.dump(arch_json, f, indent=2)
        f.write("\n")
    params = sum(p.numel() for p in model.parameters())
    print(f"{stem}: {params} parameters, input {tuple(x.shape)}, semantic {tuple(semantic.shape)}, embedding {tuple(embedding.shape)}")


def write_safetensors(path, tensors):
    """The safetensors layout, written by hand (Debian has no python3-safetensors): an 8-byte
    little-endian header length, a JSON header of dtype/shape/data_offsets, then the raw bytes."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def export_import_forms(out_dir, swin):
    """The same two output-conv tensors the ways users hand weights over: wrapped in a training
    checkpoint dict with DataParallel's "module." prefix, as safetensors, and in PyTorch's legacy
    (pre-zip) format that the importer must refuse with a clear message."""
    part = {k: swin.state_dict()[k].clone() for k in ("out.conv.conv.weight", "out.conv.conv.bias")}
    torch.save({"state_dict": {"module." + k: v for k, v in part.items()}, "epoch": 3}, os.path.join(out_dir, "swin_out_wrapped.pt"))
    write_safetensors(os.path.join(out_dir, "swin_out.safetensors"), part)
    torch.save(part, os.path.join(out_dir, "legacy_format.pt"), _use_new_zipfile_serialization=False)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/models"
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    s = SWIN
    swin = SwinUnetrV2(in_channels=s["in_channels"], out_channels=s["classes"], embedding_dim=s["embedding_dim"],
                       feature_size=s["feature_size"], depths=tuple(s["depths"]), num_heads=tuple(s["heads"]),
                       window_size=s["window_size"], mlp_ratio=s["mlp_ratio"], drop_rate=s["drop_rate"],
                       attn_drop_rate=s["attn_drop_rate"], dropout_path_rate=s["drop_path_rate"], use_v2=s["use_v2"])
    export(out_dir, "swinunetr_v2_parity", swin, dict(name="swinunetr-v2", **SWIN), SWIN_INPUT, 11)
    export_import_forms(out_dir, swin)
    sl = SliceTransformer(**SLICE)
    export(out_dir, "slice_parity", sl, dict(name="slice", **SLICE), SLICE_INPUT, 21)


if __name__ == "__main__":
    main()

"""The PyTorch peer of `CtSegLabel.Bench train-step`: one training step of the reference SwinUNETR-V2
(tools/reference) — forward with embeddings, the reference trainer's soft Dice + discriminative loss, backward,
AdamW — on the same block (the first slices of the sample the C# bench saved with --save-sample), same threads.

    python3 bench/train/pytorch_step.py SAMPLE.npz [--config full|tiny] [--steps 3] [--threads N]
"""
import argparse
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, "tools/reference")
from swin_unetr_v2 import SwinUnetrV2  # noqa: E402
from train_phantoms import discriminative_loss, soft_dice_loss  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("sample")
parser.add_argument("--config", default="full")
parser.add_argument("--steps", type=int, default=3)
parser.add_argument("--threads", type=int, default=torch.get_num_threads())
a = parser.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)

slices = 64 if a.config == "full" else 32
# ctseg's tiny config (SwinUnetrV2Architecture.Tiny): feature size 12, heads 1/2/4/8, embeddings of 4.
net = (SwinUnetrV2(out_channels=37, embedding_dim=32) if a.config == "full"
       else SwinUnetrV2(out_channels=37, embedding_dim=4, feature_size=12, num_heads=(1, 2, 4, 8)))
net.train()
data = np.load(a.sample)


def first(name, dtype):
    v = data[name][:slices].astype(dtype)
    pad = slices - v.shape[0]
    return np.pad(v, ((0, pad), (0, 0), (0, 0))) if pad > 0 else v


image = torch.from_numpy(first("image", np.float32))[None, None]
semantic = torch.from_numpy(first("semantic", np.int64))[None]
instance = torch.from_numpy(first("instance", np.int64))[None]
opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
times = []
for step in range(a.steps):
    start = time.perf_counter()
    semantic_logits, embedding = net(image)
    loss = soft_dice_loss(semantic_logits, semantic, 37) + discriminative_loss(embedding, instance)
    loss.backward()
    opt.step()
    opt.zero_grad()
    times.append(time.perf_counter() - start)
    print(f"step {step + 1}: {times[-1]:.2f} s", flush=True)
warm = sorted(times[1:] or times)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
print(f"| PyTorch {torch.__version__} | {a.config} | fp32 | {slices}×{image.shape[-2]}×{image.shape[-1]} | "
      f"{warm[len(warm) // 2]:.2f} s | {peak:.2f} GB | {torch.get_num_threads()} |")

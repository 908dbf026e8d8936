"""Trains this project's PyTorch reference SwinUNETR-V2 (swin_unetr_v2.py) on phantom training blocks that
`ctseg dataset export` wrote (preprocessed exactly as inference preprocesses, thesis §3.2), with the thesis's
losses (§3.5, §3.6.1): soft Dice over the semantic channels and the discriminative loss on the embeddings of the
four instance classes.

Why it exists: weights whose outputs are not noise, to measure the C# pipeline's quality (Dice, PQ on phantoms)
and bf16 agreement on a trained network. It is a proxy on synthetic data, run on a GPU machine, NOT the product's
training (issue #6 builds that in TorchSharp). Output: the state_dict in float16, in shards small enough to move
(`model-0000N-of-0000M.pt`), plus `architecture.json` for `ctseg model import`.

    python3 tools/reference/train_phantoms.py --data DIR --out DIR [--feature-size 24] [--minutes 6]
    python3 tools/reference/train_phantoms.py merge DIR MODEL.pt      # shards -> one file
"""
import argparse
import glob
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from swin_unetr_v2 import SwinUnetrV2  # noqa: E402

# Thesis §3.5 / §3.6.1.
DICE_BETA = 1e-5
DELTA_V, DELTA_D = 1.5, 3.0
W_VAR, W_DIST, W_REG = 1.5, 1.0, 1e-4


def load_cases(folder):
    cases = []
    for path in sorted(glob.glob(os.path.join(folder, "*.npz"))):
        with np.load(path) as z:
            image = z["image"].astype(np.float32)
            if "image_range" in z:  # uint8 levels (ctseg dataset export --image-dtype uint8)
                lo, hi = z["image_range"]
                image = lo + image * ((hi - lo) / 255)
            cases.append((image, z["semantic"].astype(np.int64), z["instance"].astype(np.int64)))
    if not cases:
        raise SystemExit(f"no .npz cases in {folder}")
    return cases


def random_block(case, slices, rng):
    """A random block of `slices` slices (thesis §3.6: one per image per epoch); short images are padded with
    air (intensity of −1000 HU after the −700…1400 → 0…1 map) and background."""
    image, semantic, instance = case
    depth = image.shape[0]
    if depth < slices:
        pad = slices - depth
        air = (-1000 + 700) / 2100
        return (F.pad(image, (0, 0, 0, 0, 0, pad), value=air), F.pad(semantic, (0, 0, 0, 0, 0, pad)),
                F.pad(instance, (0, 0, 0, 0, 0, pad)))
    start = int(rng.integers(0, depth - slices + 1))
    return image[start:start + slices], semantic[start:start + slices], instance[start:start + slices]


def soft_dice_loss(logits, target, classes):
    """Mean over classes of 1 − 2Σpg / (Σp + Σg + β), background included, α = 0 (per block; every phantom
    class is annotated, so none is masked)."""
    p = logits.float().softmax(1)
    g = F.one_hot(target, classes).permute(0, 4, 1, 2, 3).float()
    dims = (2, 3, 4)
    dice = 2 * (p * g).sum(dims) / (p.sum(dims) + g.sum(dims) + DICE_BETA)
    return (1 - dice).mean()


def discriminative_loss(embedding, instance):
    """De Brabandere et al. as the thesis weights it, per block over all instances of the instance classes
    (instance ids are unique per image across the four classes)."""
    emb = embedding.float()
    total = emb.new_zeros(())
    for b in range(emb.shape[0]):
        ids = instance[b]
        mask = ids > 0
        if not mask.any():
            continue
        x = emb[b][:, mask].t()  # (N, E)
        labels = ids[mask]
        uniq, inv = labels.unique(return_inverse=True)
        k = uniq.numel()
        sums = x.new_zeros(k, x.shape[1]).index_add_(0, inv, x)
        counts = torch.bincount(inv, minlength=k).float().unsqueeze(1)
        means = sums / counts
        dist = (x - means[inv]).norm(dim=1)
        var = (F.relu(dist - DELTA_V) ** 2)
        l_var = (x.new_zeros(k).index_add_(0, inv, var) / counts.squeeze(1)).mean()
        if k > 1:
            pair = torch.cdist(means, means)
            off = ~torch.eye(k, dtype=torch.bool, device=x.device)
            l_dist = (F.relu(2 * DELTA_D - pair[off]) ** 2).mean()
        else:
            l_dist = x.new_zeros(())
        l_reg = means.norm(dim=1).mean()
        total = total + W_VAR * l_var + W_DIST * l_dist + W_REG * l_reg
    return total / emb.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--feature-size", type=int, default=24)
    ap.add_argument("--embedding-dim", type=int, default=32)
    ap.add_argument("--classes", type=int, default=37)
    ap.add_argument("--slices", type=int, default=64)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--minutes", type=float, default=6.0)
    ap.add_argument("--shard-mb", type=float, default=15.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    # The whole (small) dataset lives on the device: blocks are cut there, so the GPU never waits for the host.
    cases = [tuple(torch.from_numpy(a).to(device) for a in case) for case in load_cases(args.data)]
    held_out = cases[-1:]  # the last case only measures, so a curve on unseen data is printed
    train = cases[:-1] if len(cases) > 1 else cases
    heads = [max(1, args.feature_size // 8) * m for m in (1, 2, 4, 8)]
    arch = dict(in_channels=1, out_channels=args.classes, embedding_dim=args.embedding_dim,
                feature_size=args.feature_size, num_heads=heads)
    model = SwinUnetrV2(**arch).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
    start = time.time()
    step = 0
    print(f"{len(train)} training cases, {len(held_out)} held out, {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"device {device}", flush=True)
    while time.time() - start < args.minutes * 60:
        blocks = [random_block(train[int(rng.integers(len(train)))], args.slices, rng) for _ in range(args.batch)]
        image = torch.stack([b[0] for b in blocks])[:, None]
        semantic = torch.stack([b[1] for b in blocks])
        instance = torch.stack([b[2] for b in blocks])
        # Random in-plane flips would swap left/right names: no augmentation beyond the random block here.
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits, embedding = model(image)
        l_dice = soft_dice_loss(logits, semantic, args.classes)
        l_disc = discriminative_loss(embedding, instance)
        loss = l_dice + l_disc
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        elapsed = time.time() - start
        # Cosine decay over the time budget: the step count is unknown in advance.
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / (args.minutes * 60))))
        if step % 50 == 0:
            print(f"step {step:5d}  {elapsed:6.0f} s  dice loss {l_dice.item():.4f}  disc loss {l_disc.item():.4f}", flush=True)

    model.eval()
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        image, semantic, instance = held_out[0]
        d = (image.shape[0] // args.slices) * args.slices or args.slices
        blk = random_block((image[:d], semantic[:d], instance[:d]), args.slices, np.random.default_rng(1))
        logits, _ = model(blk[0][None, None])
        pred = logits.argmax(1).cpu().numpy()[0]
        truth = blk[1].cpu().numpy()
        dices = [2 * np.sum((pred == c) & (truth == c)) / (np.sum(pred == c) + np.sum(truth == c))
                 for c in range(1, args.classes) if np.any(truth == c)]
        print(f"held-out block: mean Dice over {len(dices)} present classes {np.mean(dices):.3f}", flush=True)

    os.makedirs(args.out, exist_ok=True)
    state = {k: (v.detach().cpu().half() if v.is_floating_point() else v.detach().cpu()).contiguous()
             for k, v in model.state_dict().items()}
    shards, current, size = [], {}, 0
    for k, v in state.items():
        nbytes = v.numel() * v.element_size()
        if current and size + nbytes > args.shard_mb * 2**20:
            shards.append(current)
            current, size = {}, 0
        current[k] = v
        size += nbytes
    shards.append(current)
    for i, shard in enumerate(shards):
        torch.save(shard, os.path.join(args.out, f"model-{i + 1:05d}-of-{len(shards):05d}.pt"))
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(dict(arch, steps=step, minutes=args.minutes, batch=args.batch, lr=args.lr), f, indent=1)
    # The architecture as ctseg's checkpoint metadata spells it, for `ctseg model import --config FILE.json`.
    with open(os.path.join(args.out, "architecture.json"), "w") as f:
        json.dump({"name": "swinunetr-v2", "classes": args.classes, "embedding_dim": args.embedding_dim,
                   "feature_size": args.feature_size, "heads": heads}, f, indent=1)
    print(f"wrote {len(shards)} shards after {step} steps", flush=True)


def merge(folder, target):
    """Joins the shards into one state_dict file (`ctseg model import` reads one file)."""
    state = {}
    for path in sorted(glob.glob(os.path.join(folder, "model-*-of-*.pt"))):
        state.update(torch.load(path, map_location="cpu"))
    torch.save(state, target)
    print(f"{len(state)} tensors -> {target}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "merge":
        merge(sys.argv[2], sys.argv[3])
    else:
        main()

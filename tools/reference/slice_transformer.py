"""PyTorch reference of the thesis's slice transformer (§3.3) for parity checks of the TorchSharp port
(CtSegLabel.Models.SliceTransformer). Plain torch; parameter names are the ones the C# port uses.

Readings of the thesis text that the port and this reference share:
  * "layer normalization" after a 3-D convolution = LayerNorm over the channels of each voxel;
  * pre-embedding convolutions: conv -> leaky ReLU -> layer norm (the order §3.3.2 states); decoder and
    output branches: conv -> layer norm -> leaky ReLU (§3.3.5, §3.3.7);
  * decoder stage i: conv(in -> 170), conv(170 -> 170), transposed conv 1x2x2, then the input image
    average-pooled to the new resolution is concatenated (171 channels); the first stage reads the
    4096 concatenated encoder channels; after the last stage (full resolution) the image itself is
    concatenated, then the 42-channel image branch, so the first of the four 84-channel convolutions
    reads 170 + 1 + 42 channels;
  * transformer encoders are pre-norm ViT layers (GELU MLP); dropout after the position encoding, on
    the attention projection and in the MLP.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# The encoder MLP is the Swin blocks' one (the C# port shares Mlp.cs the same way).
from swin_unetr_v2 import Mlp


class ConvNormAct(nn.Module):
    def __init__(self, cin, cout, act_first, slope):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, 1, 1)
        self.norm = nn.LayerNorm(cout)
        self.act_first = act_first
        self.slope = slope

    def channel_norm(self, x):
        return self.norm(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)

    def forward(self, x):
        y = self.conv(x)
        if self.act_first:
            return self.channel_norm(F.leaky_relu(y, self.slope))
        return F.leaky_relu(self.channel_norm(y), self.slope)


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, drop):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)
        self.proj_drop = nn.Dropout(drop)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1) / math.sqrt(c // self.heads)).softmax(-1)
        return self.proj_drop(self.proj((attn @ v).transpose(1, 2).reshape(b, n, c)))


class SliceEncoderLayer(nn.Module):
    def __init__(self, hidden, heads, mlp_dim, drop):
        super().__init__()
        self.norm1 = nn.LayerNorm(hidden)
        self.attn = SelfAttention(hidden, heads, drop)
        self.norm2 = nn.LayerNorm(hidden)
        self.mlp = Mlp(hidden, mlp_dim, drop)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class SliceDecoderStage(nn.Module):
    def __init__(self, cin, channels, slope):
        super().__init__()
        self.conv1 = ConvNormAct(cin, channels, False, slope)
        self.conv2 = ConvNormAct(channels, channels, False, slope)
        self.up = nn.ConvTranspose3d(channels, channels, (1, 2, 2), (1, 2, 2))

    def forward(self, x):
        return self.up(self.conv2(self.conv1(x)))


class SliceDecoder(nn.Module):
    def __init__(self, cfg, cout):
        super().__init__()
        self.slice_size = cfg["slice_size"]
        stages = int(math.log2(cfg["slice_size"]))
        dec, cin = cfg["decoder_channels"], cfg["in_channels"]
        taps = cfg["layers"] // cfg["skip_every"] * cfg["hidden_size"]
        self.stages = nn.ModuleList([SliceDecoderStage(taps if i == 0 else dec + cin, dec, cfg["negative_slope"]) for i in range(stages)])
        branch, head = cfg["image_branch_channels"], cfg["head_channels"]
        self.image_branch = nn.ModuleList([ConvNormAct(cin if i == 0 else branch, branch, False, cfg["negative_slope"]) for i in range(4)])
        self.head = nn.ModuleList([ConvNormAct(dec + cin + branch if i == 0 else head, head, False, cfg["negative_slope"]) for i in range(4)])
        self.out = nn.Conv3d(head, cout, 1)

    def forward(self, features, image):
        x, res = features, 1
        for stage in self.stages:
            x = stage(x)
            res *= 2
            f = self.slice_size // res
            pooled = image if f == 1 else F.avg_pool3d(image, (1, f, f), (1, f, f))
            x = torch.cat([x, pooled], 1)
        branch = image
        for conv in self.image_branch:
            branch = conv(branch)
        y = torch.cat([x, branch], 1)
        for conv in self.head:
            y = conv(y)
        return self.out(y)


FULL = dict(in_channels=1, classes=14, embedding_dim=16, slice_size=128, max_slices=64, pre_embedding_channels=21,
            hidden_size=1024, layers=12, heads=8, mlp_dim=1024, skip_every=3, decoder_channels=170,
            image_branch_channels=42, head_channels=84, drop_rate=0.2, negative_slope=0.01)


class SliceTransformer(nn.Module):
    def __init__(self, **overrides):
        super().__init__()
        cfg = dict(FULL, **overrides)
        self.cfg = cfg
        pre, cin, hidden = cfg["pre_embedding_channels"], cfg["in_channels"], cfg["hidden_size"]
        self.pre_embedding = nn.ModuleList([ConvNormAct(cin if i == 0 else pre, pre, True, cfg["negative_slope"]) for i in range(6)])
        pooled = cfg["slice_size"] // 4
        self.slice_embedding = nn.Conv3d(pre, hidden, (1, pooled, pooled))
        self.position_embedding = nn.Parameter(torch.zeros(1, cfg["max_slices"], hidden))
        nn.init.trunc_normal_(self.position_embedding, std=0.02)
        self.embedding_drop = nn.Dropout(cfg["drop_rate"])
        self.encoders = nn.ModuleList([SliceEncoderLayer(hidden, cfg["heads"], cfg["mlp_dim"], cfg["drop_rate"]) for _ in range(cfg["layers"])])
        self.semantic = SliceDecoder(cfg, cfg["classes"])
        self.embedding = SliceDecoder(cfg, cfg["embedding_dim"]) if cfg["embedding_dim"] > 0 else None

    def forward(self, image):
        x = image
        for i, conv in enumerate(self.pre_embedding):
            x = conv(x)
            if i in (1, 3):
                x = F.max_pool3d(x, (1, 2, 2), (1, 2, 2))
        tokens = self.slice_embedding(x).flatten(2).transpose(1, 2)
        h = self.embedding_drop(tokens + self.position_embedding[:, :image.shape[2]])
        taps = []
        for i, encoder in enumerate(self.encoders):
            h = encoder(h)
            if (i + 1) % self.cfg["skip_every"] == 0:
                taps.append(h)
        features = torch.cat(taps, 2).transpose(1, 2)[..., None, None]
        semantic = self.semantic(features, image)
        embedding = self.embedding(features, image) if self.embedding is not None else None
        return semantic, embedding

"""PyTorch reference of SwinUNETR-V2 for parity checks of the TorchSharp port (CtSegLabel.Models).

Plain torch (Debian's python3-torch), written for this project. It follows the module structure and
state_dict parameter names of MONAI's SwinUNETR(use_v2=True, downsample="merging") so that a MONAI
checkpoint loads into it unchanged, and adds the thesis's second (embedding) decoder under the prefix
"embedding." with the same names as the semantic decoder.

Every behaviour that changes numbers is reproduced on purpose, including MONAI's quirks:
  * a stage whose token grid is not larger than the window in some axis uses that extent as window and
    does not shift along it, yet still indexes the full-window relative-position table with [:n, :n];
  * the shifted-window mask is built from MONAI's three slices per axis, which for a zero shift cover
    the whole axis;
  * the 8 sub-voxels of patch merging are concatenated in the v0.9 order (x0..x7 below).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def window_extent(grid, window, shift):
    """Window and shift actually used for a token grid (MONAI's get_window_size)."""
    w, s = list(window), list(shift)
    for i, g in enumerate(grid):
        if g <= window[i]:
            w[i], s[i] = g, 0
    return tuple(w), tuple(s)


def to_windows(x, ws):
    """(b, d, h, w, c) with d, h, w multiples of ws -> (b * windows, ws0*ws1*ws2, c)."""
    b, d, h, w, c = x.shape
    x = x.view(b, d // ws[0], ws[0], h // ws[1], ws[1], w // ws[2], ws[2], c)
    return x.permute(0, 1, 3, 5, 2, 4, 6, 7).reshape(-1, ws[0] * ws[1] * ws[2], c)


def from_windows(windows, ws, b, d, h, w):
    x = windows.view(b, d // ws[0], h // ws[1], w // ws[2], ws[0], ws[1], ws[2], -1)
    return x.permute(0, 1, 4, 2, 5, 3, 6, 7).reshape(b, d, h, w, -1)


def python_slice_ranges(length, window, shift):
    """The three index ranges MONAI assigns region labels to along one axis, as Python slices
    slice(-window), slice(-window, -shift), slice(-shift, None) resolve on an axis of this length."""
    return [range(length)[slice(-window)], range(length)[slice(-window, -shift)], range(length)[slice(-shift, None)]]


def shifted_window_mask(grid, ws, shift):
    """(windows, n, n) additive mask: -100 between tokens that came from different regions."""
    d, h, w = grid
    labels = torch.zeros((1, d, h, w, 1))
    region = 0
    for rd in python_slice_ranges(d, ws[0], shift[0]):
        for rh in python_slice_ranges(h, ws[1], shift[1]):
            for rw in python_slice_ranges(w, ws[2], shift[2]):
                if len(rd) and len(rh) and len(rw):
                    labels[:, rd.start:rd.stop, rh.start:rh.stop, rw.start:rw.stop, :] = region
                region += 1
    win = to_windows(labels, ws).squeeze(-1)
    diff = win.unsqueeze(1) - win.unsqueeze(2)
    return diff.masked_fill(diff != 0, -100.0).masked_fill(diff == 0, 0.0)


class WindowAttention(nn.Module):
    def __init__(self, dim, heads, window, attn_drop=0.0, proj_drop=0.0):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * window[0] - 1) * (2 * window[1] - 1) * (2 * window[2] - 1), heads))
        coords = torch.stack(torch.meshgrid(*[torch.arange(k) for k in window], indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)
        rel = rel + torch.tensor([window[0] - 1, window[1] - 1, window[2] - 1])
        index = rel[:, :, 0] * (2 * window[1] - 1) * (2 * window[2] - 1) + rel[:, :, 1] * (2 * window[2] - 1) + rel[:, :, 2]
        self.register_buffer("relative_position_index", index)
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)

    def forward(self, x, mask):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index[:n, :n].reshape(-1)]
        attn = attn + bias.reshape(n, n, -1).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.view(b // nw, nw, self.heads, n, n) + mask.unsqueeze(1).unsqueeze(0)).view(-1, self.heads, n, n)
        attn = self.attn_drop(attn.softmax(-1))
        return self.proj_drop(self.proj((attn @ v).transpose(1, 2).reshape(b, n, c)))


class Mlp(nn.Module):
    """MONAI MLPBlock in "swin" dropout mode: one dropout applied after each linear layer."""

    def __init__(self, dim, hidden, drop):
        super().__init__()
        self.linear1 = nn.Linear(dim, hidden)
        self.linear2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        return self.drop(self.linear2(self.drop(F.gelu(self.linear1(x)))))


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class SwinTransformerBlock(nn.Module):
    def __init__(self, dim, heads, window, shift, mlp_ratio, drop, attn_drop, drop_path):
        super().__init__()
        self.window, self.shift = window, shift
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, heads, window, attn_drop, drop)
        self.drop_path = DropPath(drop_path)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), drop)

    def attend(self, x, mask):
        b, d, h, w, c = x.shape
        ws, shift = window_extent((d, h, w), self.window, self.shift)
        x = self.norm1(x)
        pd, ph, pw = [(k - g % k) % k for g, k in zip((d, h, w), ws)]
        x = F.pad(x, (0, 0, 0, pw, 0, ph, 0, pd))
        _, dp, hp, wp, _ = x.shape
        shifted = any(s > 0 for s in shift)
        if shifted:
            x = torch.roll(x, shifts=tuple(-s for s in shift), dims=(1, 2, 3))
        x = from_windows(self.attn(to_windows(x, ws), mask if shifted else None), ws, b, dp, hp, wp)
        if shifted:
            x = torch.roll(x, shifts=shift, dims=(1, 2, 3))
        return x[:, :d, :h, :w, :].contiguous()

    def forward(self, x, mask):
        x = x + self.drop_path(self.attend(x, mask))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class PatchMerging(nn.Module):
    """MONAI's "merging" (v0.9) patch merging."""

    def __init__(self, dim):
        super().__init__()
        self.reduction = nn.Linear(8 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(8 * dim)

    def forward(self, x):
        d, h, w = x.shape[1:4]
        if d % 2 or h % 2 or w % 2:
            x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2, 0, d % 2))
        parts = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)]
        x = torch.cat([x[:, i::2, j::2, k::2, :] for i, j, k in parts], -1)
        return self.reduction(self.norm(x))


class BasicLayer(nn.Module):
    def __init__(self, dim, depth, heads, window, drop_paths, mlp_ratio, drop, attn_drop):
        super().__init__()
        self.window = window
        self.shift = tuple(k // 2 for k in window)
        self.blocks = nn.ModuleList([
            SwinTransformerBlock(dim, heads, window, (0, 0, 0) if i % 2 == 0 else self.shift,
                                 mlp_ratio, drop, attn_drop, drop_paths[i]) for i in range(depth)])
        self.downsample = PatchMerging(dim)

    def forward(self, x):
        b, c, d, h, w = x.shape
        ws, shift = window_extent((d, h, w), self.window, self.shift)
        x = x.permute(0, 2, 3, 4, 1)
        padded = [math.ceil(g / k) * k for g, k in zip((d, h, w), ws)]
        mask = shifted_window_mask(padded, ws, shift).to(x.device, x.dtype)
        for block in self.blocks:
            x = block(x, mask)
        return self.downsample(x).permute(0, 4, 1, 2, 3)


class Conv(nn.Module):
    """MONAI's Convolution wrapper (its module is named "conv")."""

    def __init__(self, cin, cout, kernel, stride=1, bias=False, transposed=False):
        super().__init__()
        if transposed:
            self.conv = nn.ConvTranspose3d(cin, cout, kernel, stride, bias=bias)
        else:
            self.conv = nn.Conv3d(cin, cout, kernel, stride, padding=(kernel - stride + 1) // 2, bias=bias)

    def forward(self, x):
        return self.conv(x)


class UnetResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = Conv(cin, cout, 3)
        self.conv2 = Conv(cout, cout, 3)
        self.norm1 = nn.InstanceNorm3d(cout)
        self.norm2 = nn.InstanceNorm3d(cout)
        self.project = cin != cout
        if self.project:
            self.conv3 = Conv(cin, cout, 1)
            self.norm3 = nn.InstanceNorm3d(cout)

    def forward(self, x):
        y = F.leaky_relu(self.norm1(self.conv1(x)), 0.01)
        y = self.norm2(self.conv2(y))
        r = self.norm3(self.conv3(x)) if self.project else x
        return F.leaky_relu(y + r, 0.01)


class UnetrBasicBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.layer = UnetResBlock(cin, cout)

    def forward(self, x):
        return self.layer(x)


class UnetrUpBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.transp_conv = Conv(cin, cout, 2, 2, transposed=True)
        self.conv_block = UnetResBlock(2 * cout, cout)

    def forward(self, x, skip):
        return self.conv_block(torch.cat((self.transp_conv(x), skip), 1))


class UnetOutBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = Conv(cin, cout, 1, bias=True)

    def forward(self, x):
        return self.conv(x)


class PatchEmbed(nn.Module):
    def __init__(self, cin, dim):
        super().__init__()
        self.proj = nn.Conv3d(cin, dim, 2, 2)

    def forward(self, x):
        return self.proj(x)


class SwinTransformer(nn.Module):
    def __init__(self, cin, dim, window, depths, heads, mlp_ratio, drop, attn_drop, drop_path, use_v2):
        super().__init__()
        self.use_v2 = use_v2
        self.patch_embed = PatchEmbed(cin, dim)
        self.pos_drop = nn.Dropout(drop)
        rates = [r.item() for r in torch.linspace(0, drop_path, sum(depths))]
        for i in range(4):
            stage_dim = dim * 2 ** i
            paths = rates[sum(depths[:i]):sum(depths[:i + 1])]
            setattr(self, f"layers{i + 1}", nn.ModuleList(
                [BasicLayer(stage_dim, depths[i], heads[i], window, paths, mlp_ratio, drop, attn_drop)]))
            if use_v2:
                setattr(self, f"layers{i + 1}c", nn.ModuleList([UnetrBasicBlock(stage_dim, stage_dim)]))

    @staticmethod
    def normalized(x):
        return F.layer_norm(x.permute(0, 2, 3, 4, 1), [x.shape[1]]).permute(0, 4, 1, 2, 3)

    def forward(self, x):
        x = self.pos_drop(self.patch_embed(x))
        outs = [self.normalized(x)]
        for i in range(1, 5):
            if self.use_v2:
                x = getattr(self, f"layers{i}c")[0](x.contiguous())
            x = getattr(self, f"layers{i}")[0](x.contiguous())
            outs.append(self.normalized(x))
        return outs


class UnetrDecoder(nn.Module):
    """decoder5..decoder1 + out: one decoder path over the shared encoder skips."""

    def __init__(self, fs, cout):
        super().__init__()
        self.decoder5 = UnetrUpBlock(16 * fs, 8 * fs)
        self.decoder4 = UnetrUpBlock(8 * fs, 4 * fs)
        self.decoder3 = UnetrUpBlock(4 * fs, 2 * fs)
        self.decoder2 = UnetrUpBlock(2 * fs, fs)
        self.decoder1 = UnetrUpBlock(fs, fs)
        self.out = UnetOutBlock(fs, cout)

    def forward(self, enc0, enc1, enc2, enc3, hidden3, dec4):
        x = self.decoder5(dec4, hidden3)
        x = self.decoder4(x, enc3)
        x = self.decoder3(x, enc2)
        x = self.decoder2(x, enc1)
        return self.out(self.decoder1(x, enc0))


class SwinUnetrV2(nn.Module):
    def __init__(self, in_channels=1, out_channels=14, embedding_dim=32, feature_size=48,
                 depths=(2, 2, 2, 2), num_heads=(3, 6, 12, 24), window_size=7, mlp_ratio=4.0,
                 drop_rate=0.0, attn_drop_rate=0.0, dropout_path_rate=0.0, use_v2=True):
        super().__init__()
        fs = feature_size
        self.swinViT = SwinTransformer(in_channels, fs, (window_size,) * 3, depths, num_heads, mlp_ratio,
                                       drop_rate, attn_drop_rate, dropout_path_rate, use_v2)
        self.encoder1 = UnetrBasicBlock(in_channels, fs)
        self.encoder2 = UnetrBasicBlock(fs, fs)
        self.encoder3 = UnetrBasicBlock(2 * fs, 2 * fs)
        self.encoder4 = UnetrBasicBlock(4 * fs, 4 * fs)
        self.encoder10 = UnetrBasicBlock(16 * fs, 16 * fs)
        semantic = UnetrDecoder(fs, out_channels)
        # The semantic path keeps MONAI's top-level names so MONAI checkpoints import unchanged.
        for name, module in semantic.named_children():
            setattr(self, name, module)
        self.embedding = UnetrDecoder(fs, embedding_dim) if embedding_dim > 0 else None

    def forward(self, x):
        for axis in range(2, 5):
            if x.shape[axis] % 32:
                raise ValueError(f"input size {tuple(x.shape[2:])} is not a multiple of 32")
        hidden = self.swinViT(x)
        enc0 = self.encoder1(x)
        enc1 = self.encoder2(hidden[0])
        enc2 = self.encoder3(hidden[1])
        enc3 = self.encoder4(hidden[2])
        dec4 = self.encoder10(hidden[4])
        skips = (enc0, enc1, enc2, enc3, hidden[3], dec4)
        semantic = UnetrDecoder.forward(self, *skips)
        embedding = self.embedding(*skips) if self.embedding is not None else None
        return semantic, embedding

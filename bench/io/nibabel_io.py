"""The peer for bench/io: nibabel reading and writing the same .nii.gz, median of N runs.

Run with Debian's python3 + python3-nibabel (see run.sh). Prints rows in the same table format as
the C# benchmark so the two can be compared line by line."""
import gc
import os
import sys
import tempfile
import time

import nibabel as nib
import numpy as np


def median_time(repeats, action):
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    img = nib.load(path)
    data = np.asanyarray(img.dataobj)  # warm-up, and the array written below
    raw_mb = data.nbytes / 1e6

    # np.asanyarray(dataobj) reads and decompresses everything, keeping the stored dtype (int16).
    read = median_time(repeats, lambda: np.asanyarray(nib.load(path).dataobj))
    print(f"| nibabel {nib.__version__} | read .nii.gz | {'×'.join(map(str, data.shape))} {data.dtype} | {read:.3f} s | {raw_mb / read:.0f} MB/s |")

    out = os.path.join(tempfile.mkdtemp(), "out.nii.gz")
    new = nib.Nifti1Image(data, img.affine, img.header)
    write = median_time(repeats, lambda: nib.save(new, out))  # nibabel's default gzip level for .nii.gz
    print(f"| nibabel {nib.__version__} | write .nii.gz (default level) | {os.path.getsize(out) / 1e6:.1f} MB file | {write:.3f} s | {raw_mb / write:.0f} MB/s |")
    os.remove(out)


if __name__ == "__main__":
    main()

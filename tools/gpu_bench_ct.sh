#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run here (the GPU machine has no DICOM reader in its gpu-core build and no ../shared/data):
# writes the 134-slice CT as raw little-endian int16 HU, gzipped, into .gpu/ct.raw.gz, and its
# size and spacing as bench_render_gpu's arguments into .gpu/ct.args. The device call carries
# .gpu (ignored by git); tools/gpu_run.sh unpacks it and runs bench_render_gpu on it.
# Usage: tools/gpu_bench_ct.sh [BUILD_DIR (default build/default)]; needs Debian's python3-numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
mkdir -p .gpu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/app/cinevox" convert "${CVX_DATA_DIR:-../shared/data}/ct" --out "$tmp/ct.nii"
/usr/bin/python3 - "$tmp/ct.nii" .gpu/ct.raw .gpu/ct.args <<'PY'
import struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
dim = struct.unpack_from('<8h', raw, 40)
datatype, = struct.unpack_from('<h', raw, 70)
pixdim = struct.unpack_from('<8f', raw, 76)
off, slope, inter = struct.unpack_from('<3f', raw, 108)
types = {4: np.int16, 512: np.uint16, 16: np.float32, 2: np.uint8}
n = dim[1] * dim[2] * dim[3]
v = np.frombuffer(raw, types[datatype], n, int(off)).astype(np.float64)
if slope != 0:
    v = v * slope + inter
np.clip(np.rint(v), -32768, 32767).astype('<i2').tofile(sys.argv[2])
open(sys.argv[3], 'w').write('--dims %d,%d,%d --spacing %.6f,%.6f,%.6f\n' % (dim[1], dim[2], dim[3], *pixdim[1:4]))
PY
gzip -f .gpu/ct.raw
cat .gpu/ct.args
ls -l .gpu

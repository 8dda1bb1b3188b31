#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes ct_crop_176x160x32_u16.raw, the real-CT input of tests/cuda/seg_ct_cuda_test.cpp (the
# gpu-core build has no DICOM reader): from ../shared/data/ct (512x512x134, JPEG lossless, uint16
# stored values, HU = stored - 1024, 0.9765625 x 0.9765625 x 3 mm), the slices in order of
# ImagePositionPatient z, slices 52..83, columns 160..335 and rows 150..309 (the right lung, the
# mediastinum and the spine's edge), stored values as uint16 little endian, x fastest, then y, then
# z. Needs DCMTK's dcmdjpeg and dcmdump. Usage: make_ct_crop.sh [CT_DIR] [OUT_FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ct=${1:-$here/../../../../shared/data/ct}
out=${2:-$here/ct_crop_176x160x32_u16.raw}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# z of each file, sorted
for f in "$ct"/*.dcm; do
  z=$(dcmdump +P 0020,0032 "$f" | sed -E 's/.*\[([^]]*)\].*/\1/' | cut -d'\' -f3)
  echo "$z $f"
done | sort -g > "$tmp/order"
i=0
while read -r z f; do
  if [ "$i" -ge 52 ] && [ "$i" -le 83 ]; then
    dcmdjpeg "$f" "$tmp/s.dcm"
    rm -f "$tmp"/s.dcm.*.raw
    dcmdump +W "$tmp" "$tmp/s.dcm" > /dev/null
    printf '%04d %s\n' "$i" "$(ls "$tmp"/s.dcm.*.raw)" >> "$tmp/raws"
    mv "$tmp"/s.dcm.*.raw "$tmp/slice_$(printf %04d "$i").raw"
  fi
  i=$((i + 1))
done < "$tmp/order"
python3 - "$tmp" "$out" <<'PY'
import glob, sys
tmp, out = sys.argv[1], sys.argv[2]
x0, nx, y0, ny = 160, 176, 150, 160
data = bytearray()
for f in sorted(glob.glob(tmp + "/slice_*.raw")):
    s = open(f, "rb").read()
    assert len(s) == 512 * 512 * 2, f
    for y in range(y0, y0 + ny):
        row = (y * 512 + x0) * 2
        data += s[row:row + nx * 2]
assert len(data) == nx * ny * 32 * 2
open(out, "wb").write(data)
PY
echo "wrote $out ($(stat -c %s "$out") bytes)"

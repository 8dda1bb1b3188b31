// SPDX-License-Identifier: MIT
// NIfTI-1/2 reading (.nii, .nii.gz): geometry from sform > qform > pixdim, converted RAS -> LPS.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "formats/nifti.h"

namespace cvx::io::fmt {

namespace {

double spaceScaleToMm(int units) {
  switch (units & 0x07) {
    case 1: return 1000.0;  // metres
    case 3: return 0.001;   // microns
    default: return 1.0;    // mm, or unknown (taken as mm)
  }
}

double timeScaleToMs(int units, ImageReadNotes& notes) {
  switch (units & 0x38) {
    case 16: return 1.0;     // ms
    case 24: return 0.001;   // us
    case 8: return 1000.0;   // s
    default:
      notes.warnings.push_back({"format.time_units", "NIfTI time units unknown, taken as seconds"});
      return 1000.0;
  }
}

void applyHeader(const NiftiHeader& h, Volume& v, ImageReadNotes& notes) {
  std::string which;
  Mat4 ras = niftiAffine(h, which);
  const double mm = spaceScaleToMm(h.xyztUnits);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) ras.m[r][c] *= mm;
  v.geometry = geometryFromNiftiRas(ras);
  bool sane = true;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) sane = sane && std::isfinite(ras.m[r][c]);
  for (int c = 0; c < 3 && sane; ++c) sane = ras.m[0][c] != 0 || ras.m[1][c] != 0 || ras.m[2][c] != 0;
  v.geometry.spacingKnown = sane;
  for (int r = 0; r < 3; ++r)
    if (!std::isfinite(v.geometry.originMm[r])) v.geometry.originMm[r] = 0;  // with the warning below
  if (!sane)
    notes.warnings.push_back({"format.bad_orientation", "NIfTI " + which +
                             " has a zero or non-finite entry; unit axes, spacing or zero origin assumed there"});
  if (which == "pixdim")
    notes.warnings.push_back({"format.no_orientation", "NIfTI has neither sform nor qform; axes assumed"});
  if (v.dims()[3] > 1) {
    const double ms = timeScaleToMs(h.xyztUnits, notes);
    const double step = std::isfinite(h.pixdim[4]) && h.pixdim[4] > 0 ? h.pixdim[4] * ms : 0.0;
    setEvenTimes(v, std::isfinite(h.toffset) ? h.toffset * ms : 0.0, step);
  }
  const bool scaled = std::isfinite(h.sclSlope) && h.sclSlope != 0;
  v.info.rescaleSlope = scaled ? h.sclSlope : 1.0;
  v.info.rescaleIntercept = scaled && std::isfinite(h.sclInter) ? h.sclInter : 0.0;
  v.info.rescaleApplied = false;
  v.info.rescaleUniform = true;
  v.info.seriesDescription = h.descrip;
}

}  // namespace

Result<std::shared_ptr<Volume>> readNifti(const std::string& path, ImageReadNotes& notes) {
  // Plain files are read where the header says (540 bytes, then the voxels only); a gzip file is
  // read whole and inflated, before allocating, into what its stream really holds.
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return makeError("io.open_failed", "cannot open file: " + ec.message(), path);
  auto start = readFilePart(path, 0, std::min<uint64_t>(size, kNifti2HeaderSize));
  if (!start) return start.error();
  Bytes head = std::move(*start), raw;
  const bool gz = head.size() >= 2 && head[0] == std::byte{0x1f} && head[1] == std::byte{0x8b};
  if (gz) {
    auto file = readWholeFile(path);
    if (!file) return file.error();
    raw = std::move(*file);
    auto peek = inflateExact(raw.data(), raw.size(), kNifti2HeaderSize, path, true);
    if (!peek) return peek.error();
    head = std::move(*peek);
  }
  auto hdr = parseNiftiHeader(head.data(), head.size(), path);
  if (!hdr) return hdr.error();
  const NiftiHeader& h = *hdr;
  FileType type;
  if (!fileTypeFromNifti(h.datatype, type))
    return makeError("format.unsupported", "NIfTI datatype " + std::to_string(h.datatype), path);
  const std::array<int64_t, 4> dims{h.dim[1], h.dim[2], h.dim[3], h.dim[4]};
  auto need = voxelBytes(type, dims, path);
  if (!need) return need.error();
  const uint64_t offset = static_cast<uint64_t>(h.voxOffset);  // 0..2^50 (parseNiftiHeader)
  if (*need > std::numeric_limits<uint64_t>::max() - offset)
    return makeError("format.truncated", "vox_offset + voxel data overflow", path);
  Bytes data;
  uint64_t skip = 0;  // bytes of `data` before the voxels
  if (gz) {
    auto all = inflateExact(raw.data(), raw.size(), offset + *need, path);
    if (!all) return all.error();
    data = std::move(*all);
    skip = offset;
  } else {
    auto part = readFilePart(path, offset, *need);
    if (!part) return part.error();
    data = std::move(*part);
  }
  const uint64_t avail = data.size() > skip ? data.size() - skip : 0;
  auto vol = allocate(type, dims, avail, path);
  if (!vol) return vol.error();
  Volume& v = **vol;
  decodeVoxels(data.data() + skip, type, h.swap, v);
  applyHeader(h, v, notes);
  notes.format = h.version == 1 ? "nifti1" : "nifti2";
  noteType(type, notes);
  markAllReady(v);
  return vol;
}

}  // namespace cvx::io::fmt

// SPDX-License-Identifier: MIT
// readImage / writeImage: dispatch on the file extension, plus the NIfTI <-> LPS geometry helpers.
#include <cmath>

#include "formats/internal.h"
#include <cvx/io/source_folder.h>

namespace cvx::io {

namespace {
bool endsWith(const std::string& s, const char* suffix) {
  const std::string l = fmt::lower(s);
  const std::string x(suffix);
  return l.size() >= x.size() && l.compare(l.size() - x.size(), x.size(), x) == 0;
}
}  // namespace

ImageFormat imageFormatFromPath(const std::string& path) {
  if (endsWith(path, ".nii.gz")) return ImageFormat::NiftiGz;
  if (endsWith(path, ".nii")) return ImageFormat::Nifti;
  if (endsWith(path, ".nrrd")) return ImageFormat::Nrrd;
  if (endsWith(path, ".nhdr")) return ImageFormat::Nhdr;
  if (endsWith(path, ".mha")) return ImageFormat::Mha;
  if (endsWith(path, ".mhd")) return ImageFormat::Mhd;
  return ImageFormat::Unknown;
}

Result<std::shared_ptr<Volume>> readImage(const std::string& path) {
  ImageReadNotes notes;
  return readImage(path, notes);
}

Result<std::shared_ptr<Volume>> readImage(const std::string& path, ImageReadNotes& notes) {
  notes = {};
  auto read = [&]() -> Result<std::shared_ptr<Volume>> {
    switch (imageFormatFromPath(path)) {
      case ImageFormat::Nifti:
      case ImageFormat::NiftiGz: return fmt::readNifti(path, notes);
      case ImageFormat::Nrrd:
      case ImageFormat::Nhdr: return fmt::readNrrd(path, notes);
      case ImageFormat::Mha:
      case ImageFormat::Mhd: return fmt::readMeta(path, notes);
      case ImageFormat::Unknown: break;
    }
    return makeError("format.unsupported", "unknown image extension (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd)", path);
  };
  auto result = read();
  for (auto& w : notes.warnings)
    if (w.path.empty()) w.path = path;
  return result;
}

Status writeImage(const Volume& v, const std::string& path) {
  if (v.voxelCount() <= 0 || !v.data()) return makeError("format.bad_volume", "empty volume", path);
  CVX_TRY(refuseSourceFolder(v, path));  // `cinevox convert` beside the DICOM it read
  // Wide colour is refused in every format, as the readers take 8-bit RGB only (NIfTI has no
  // 16- or 32-bit RGB type at all): a file written here always reads back here.
  if (v.type() == PixelType::RGB16 || v.type() == PixelType::RGB32)
    return makeError("format.unsupported",
                     std::string(v.type() == PixelType::RGB16 ? "16" : "32") +
                         "-bit RGB cannot be written (NIfTI has no such type; the readers take 8-bit RGB only)",
                     path);
  switch (imageFormatFromPath(path)) {
    case ImageFormat::Nifti: return fmt::writeNifti(v, path, false);
    case ImageFormat::NiftiGz: return fmt::writeNifti(v, path, true);
    case ImageFormat::Nrrd: return fmt::writeNrrd(v, path);
    case ImageFormat::Mha: return fmt::writeMeta(v, path);
    default: break;
  }
  return makeError("format.unsupported", "can write .nii, .nii.gz, .nrrd and .mha", path);
}

Mat4 niftiRasFromVoxel(const Geometry& g) {
  Mat4 m = g.worldFromVoxel();
  for (int c = 0; c < 4; ++c) {
    m.m[0][c] = -m.m[0][c];
    m.m[1][c] = -m.m[1][c];
  }
  for (auto& row : m.m)
    for (double& x : row)
      if (x == 0) x = 0;  // no -0 in files
  return m;
}

bool fmt::isSheared(const Geometry& g) {
  constexpr double kTol = 1e-6;  // |cos| between direction columns; 1e-6 rad is far below a tilt
  const auto& d = g.direction;
  return std::abs(dot(d[0], d[1])) > kTol || std::abs(dot(d[0], d[2])) > kTol || std::abs(dot(d[1], d[2])) > kTol;
}

Geometry geometryFromNiftiRas(const Mat4& ras) {
  Geometry g;
  for (int c = 0; c < 3; ++c) {
    Vec3 col{-ras.m[0][c], -ras.m[1][c], ras.m[2][c]};
    double n = norm(col);
    if (!(n > 0) || !std::isfinite(n)) {  // degenerate column: unit axis, unit spacing
      col = Vec3{};
      col[c] = 1;
      n = 1;
    }
    g.spacingMm[c] = n;
    g.direction[c] = col * (1.0 / n);
  }
  g.originMm = {-ras.m[0][3], -ras.m[1][3], ras.m[2][3]};
  g.sheared = fmt::isSheared(g);
  return g;
}

}  // namespace cvx::io

// SPDX-License-Identifier: MIT
// NRRD writing: LPS space, gzip encoding, RGB as a leading RGB-color axis, time as a last axis.
#include <cmath>
#include <string>

#include "formats/internal.h"

namespace cvx::io::fmt {

namespace {

const char* nrrdTypeName(PixelType t) {
  switch (t) {
    case PixelType::UInt8: case PixelType::RGB8: return "uchar";
    case PixelType::Int16: return "short";
    case PixelType::UInt16: return "ushort";
    case PixelType::Float32: return "float";
    case PixelType::RGB16: return "ushort";  // refused by writeImage
    case PixelType::RGB32: return "uint";  // refused by writeImage
  }
  return "uchar";
}

std::string vec(Vec3 v) {
  return "(" + fmtDouble(v.x) + "," + fmtDouble(v.y) + "," + fmtDouble(v.z) + ")";
}

std::string nrrdHeader(const Volume& v) {
  const bool rgb = v.type() == PixelType::RGB8;
  const bool is4d = v.dims()[3] > 1;
  const Geometry& g = v.geometry;
  std::string sizes, dirs, kinds, spacings;
  auto axis = [&](const std::string& size, const std::string& dir, const char* kind, const std::string& sp) {
    sizes += (sizes.empty() ? "" : " ") + size;
    dirs += (dirs.empty() ? "" : " ") + dir;
    kinds += (kinds.empty() ? "" : " ") + std::string(kind);
    spacings += (spacings.empty() ? "" : " ") + sp;
  };
  if (rgb) axis("3", "none", "RGB-color", "nan");
  for (int a = 0; a < 3; ++a)
    axis(std::to_string(v.dims()[a]), vec(g.direction[a] * g.spacingMm[a]), "domain", "nan");
  if (is4d) axis(std::to_string(v.dims()[3]), "none", "time", fmtDouble(phaseStepMs(v)));
  std::string s = "NRRD0004\n# written by CineVox\n";
  s += std::string("type: ") + nrrdTypeName(v.type()) + "\n";
  s += "dimension: " + std::to_string(3 + (rgb ? 1 : 0) + (is4d ? 1 : 0)) + "\n";
  s += "space: left-posterior-superior\n";
  s += "sizes: " + sizes + "\n";
  s += "space directions: " + dirs + "\n";
  s += "kinds: " + kinds + "\n";
  if (is4d) s += "spacings: " + spacings + "\n";
  if (is4d) {
    std::string units;
    for (int a = 0; a < 3 + (rgb ? 1 : 0); ++a) units += "\"\" ";
    s += "units: " + units + "\"ms\"\n";
  }
  s += "endian: little\nencoding: gzip\n";
  s += "space origin: " + vec(g.originMm) + "\n\n";
  return s;
}

}  // namespace

Status writeNrrd(const Volume& v, const std::string& path) {
  const std::string head = nrrdHeader(v);
  auto z = deflateAll(v.data(), v.byteSize(), true);
  if (!z) return Error{z.error().code, z.error().message, path};
  return writeFileAtomic(path, {reinterpret_cast<const std::byte*>(head.data()), head.size()}, *z);
}

}  // namespace cvx::io::fmt

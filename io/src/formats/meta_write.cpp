// SPDX-License-Identifier: MIT
// MetaImage writing (.mha, LOCAL data, zlib-compressed), in the key order ITK's MetaIO uses.
#include <string>

#include "formats/internal.h"

namespace cvx::io::fmt {

namespace {

const char* metaTypeName(PixelType t) {
  switch (t) {
    case PixelType::UInt8: case PixelType::RGB8: return "MET_UCHAR";
    case PixelType::Int16: return "MET_SHORT";
    case PixelType::UInt16: return "MET_USHORT";
    case PixelType::Float32: return "MET_FLOAT";
    case PixelType::RGB16: return "MET_USHORT";  // refused by writeImage
    case PixelType::RGB32: return "MET_UINT";  // refused by writeImage
  }
  return "MET_UCHAR";
}

std::string join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += (s.empty() ? "" : " ") + fmtDouble(x);
  return s;
}

std::string metaHeader(const Volume& v, size_t compressedSize) {
  const bool is4d = v.dims()[3] > 1;
  const int nd = is4d ? 4 : 3;
  const Geometry& g = v.geometry;
  std::vector<double> tm(static_cast<size_t>(nd * nd), 0.0), off, sp, dims;
  for (int a = 0; a < nd; ++a)
    for (int r = 0; r < nd; ++r)
      tm[a * nd + r] = a < 3 && r < 3 ? g.direction[a][r] : (a == r ? 1.0 : 0.0);
  for (int a = 0; a < 3; ++a) {
    off.push_back(g.originMm[a]);
    sp.push_back(g.spacingMm[a]);
  }
  if (is4d) {
    off.push_back(v.timesMs.empty() ? 0.0 : v.timesMs.front());
    const double dt = phaseStepMs(v);
    sp.push_back(dt > 0 ? dt : 1.0);
  }
  for (int a = 0; a < nd; ++a) dims.push_back(static_cast<double>(v.dims()[a]));
  std::string s = "ObjectType = Image\nNDims = " + std::to_string(nd) + "\n";
  s += "BinaryData = True\nBinaryDataByteOrderMSB = False\n";
  s += "CompressedData = True\nCompressedDataSize = " + std::to_string(compressedSize) + "\n";
  s += "TransformMatrix = " + join(tm) + "\n";
  s += "Offset = " + join(off) + "\n";
  s += "ElementSpacing = " + join(sp) + "\n";
  s += "DimSize = " + join(dims) + "\n";
  if (v.type() == PixelType::RGB8) s += "ElementNumberOfChannels = 3\n";
  s += std::string("ElementType = ") + metaTypeName(v.type()) + "\n";
  s += "ElementDataFile = LOCAL\n";
  return s;
}

}  // namespace

Status writeMeta(const Volume& v, const std::string& path) {
  auto z = deflateAll(v.data(), v.byteSize(), false);
  if (!z) return Error{z.error().code, z.error().message, path};
  const std::string head = metaHeader(v, z->size());
  return writeFileAtomic(path, {reinterpret_cast<const std::byte*>(head.data()), head.size()}, *z);
}

}  // namespace cvx::io::fmt

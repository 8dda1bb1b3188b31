// SPDX-License-Identifier: MIT
// NIfTI-1 and NIfTI-2 header decoding (offsets per nifti1.h / nifti2.h) and the qform/sform maths.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "formats/nifti.h"

namespace cvx::io::fmt {

namespace {

struct Fields {
  const std::byte* p;
  bool swap;
  template <class T>
  T get(size_t off) const {
    std::byte b[sizeof(T)];
    std::memcpy(b, p + off, sizeof(T));
    if (swap)
      for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
  }
  std::string text(size_t off, size_t n) const {
    const char* c = reinterpret_cast<const char*>(p + off);
    return std::string(c, strnlen(c, n));
  }
};

int32_t rawInt32(const std::byte* p, bool swap) { return Fields{p, swap}.get<int32_t>(0); }

void parseV1(const Fields& f, NiftiHeader& h) {
  for (int i = 0; i < 8; ++i) h.dim[i] = f.get<int16_t>(40 + 2 * i);
  for (int i = 0; i < 8; ++i) h.pixdim[i] = f.get<float>(76 + 4 * i);
  h.datatype = f.get<int16_t>(70);
  const float voxOffset = f.get<float>(108);  // a float in NIfTI-1: check before converting
  h.voxOffset = std::isfinite(voxOffset) && voxOffset >= 0 && voxOffset < 1e15f ? static_cast<int64_t>(voxOffset) : -1;
  h.sclSlope = f.get<float>(112);
  h.sclInter = f.get<float>(116);
  h.xyztUnits = static_cast<uint8_t>(f.get<int8_t>(123));
  h.toffset = f.get<float>(136);
  h.descrip = f.text(148, 80);
  h.qformCode = f.get<int16_t>(252);
  h.sformCode = f.get<int16_t>(254);
  for (int i = 0; i < 3; ++i) h.quatern[i] = f.get<float>(256 + 4 * i);
  for (int i = 0; i < 3; ++i) h.qoffset[i] = f.get<float>(268 + 4 * i);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) h.srow[r][c] = f.get<float>(280 + 16 * r + 4 * c);
}

void parseV2(const Fields& f, NiftiHeader& h) {
  h.datatype = f.get<int16_t>(12);
  for (int i = 0; i < 8; ++i) h.dim[i] = f.get<int64_t>(16 + 8 * i);
  for (int i = 0; i < 8; ++i) h.pixdim[i] = f.get<double>(104 + 8 * i);
  h.voxOffset = f.get<int64_t>(168);
  h.sclSlope = f.get<double>(176);
  h.sclInter = f.get<double>(184);
  h.toffset = f.get<double>(216);
  h.descrip = f.text(240, 80);
  h.qformCode = f.get<int32_t>(344);
  h.sformCode = f.get<int32_t>(348);
  for (int i = 0; i < 3; ++i) h.quatern[i] = f.get<double>(352 + 8 * i);
  for (int i = 0; i < 3; ++i) h.qoffset[i] = f.get<double>(376 + 8 * i);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) h.srow[r][c] = f.get<double>(400 + 32 * r + 8 * c);
  h.xyztUnits = f.get<int32_t>(500);
}

}  // namespace

Result<NiftiHeader> parseNiftiHeader(const std::byte* p, size_t n, const std::string& ctx) {
  if (n < 4) return makeError("format.truncated", "file too short for a NIfTI header", ctx);
  NiftiHeader h;
  const int32_t le = rawInt32(p, false), be = rawInt32(p, true);
  if (le == 348 || le == 540) {
    h.swap = false;
  } else if (be == 348 || be == 540) {
    h.swap = true;
  } else {
    return makeError("format.bad_header", "sizeof_hdr is neither 348 nor 540: not NIfTI", ctx);
  }
  const int32_t size = h.swap ? be : le;
  h.version = size == 540 ? 2 : 1;
  if (n < static_cast<size_t>(size)) return makeError("format.truncated", "NIfTI header cut short", ctx);
  const Fields f{p, h.swap};
  const std::string magic = h.version == 1 ? f.text(344, 4) : f.text(4, 4);
  if (magic == "ni1" || magic == "ni2")
    return makeError("format.unsupported", "NIfTI .hdr/.img pairs are not supported", ctx);
  if (magic != (h.version == 1 ? "n+1" : "n+2"))
    return makeError("format.bad_header", "bad NIfTI magic '" + magic + "'", ctx);
  h.version == 1 ? parseV1(f, h) : parseV2(f, h);
  if (h.dim[0] < 1 || h.dim[0] > 7) return makeError("format.bad_header", "dim[0] out of 1..7", ctx);
  for (int i = h.dim[0] + 1; i < 8; ++i) h.dim[i] = 1;
  for (int i = 1; i <= h.dim[0]; ++i)
    if (h.dim[i] < 1) return makeError("format.bad_header", "dim[" + std::to_string(i) + "] < 1", ctx);
  for (int i = 5; i <= 7; ++i)
    if (h.dim[i] != 1) return makeError("format.unsupported", "NIfTI with dims beyond t", ctx);
  if (h.voxOffset < size)
    return makeError("format.bad_header", "vox_offset inside the header, negative or not a number", ctx);
  if (h.voxOffset > (int64_t{1} << 50)) return makeError("format.truncated", "vox_offset beyond any file", ctx);
  return h;
}

bool fileTypeFromNifti(int datatype, FileType& out) {
  switch (datatype) {
    case 2: out = FileType::U8; return true;
    case 4: out = FileType::I16; return true;
    case 8: out = FileType::I32; return true;
    case 16: out = FileType::F32; return true;
    case 64: out = FileType::F64; return true;
    case 128: out = FileType::RGB24; return true;
    case 256: out = FileType::I8; return true;
    case 512: out = FileType::U16; return true;
    case 768: out = FileType::U32; return true;
    default: return false;
  }
}

Mat4 niftiAffine(const NiftiHeader& h, std::string& which) {
  Mat4 m;
  if (h.sformCode > 0) {
    which = "sform";
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) m.m[r][c] = h.srow[r][c];
    return m;
  }
  double d[3];
  for (int i = 0; i < 3; ++i) d[i] = h.pixdim[i + 1] > 0 && std::isfinite(h.pixdim[i + 1]) ? h.pixdim[i + 1] : 1.0;
  if (h.qformCode <= 0) {  // method 1: no orientation; the same default as ITK and nibabel
    which = "pixdim";
    for (int i = 0; i < 3; ++i) m.m[i][i] = d[i];
    return m;
  }
  which = "qform";
  double b = h.quatern[0], c = h.quatern[1], dd = h.quatern[2];
  double a = 1.0 - (b * b + c * c + dd * dd);
  if (a < 1e-7) {  // 180 degree rotation: renormalise (b, c, d), a = 0
    const double s = 1.0 / std::sqrt(b * b + c * c + dd * dd);
    b *= s, c *= s, dd *= s, a = 0;
  } else {
    a = std::sqrt(a);
  }
  const double R[3][3] = {{a * a + b * b - c * c - dd * dd, 2 * (b * c - a * dd), 2 * (b * dd + a * c)},
                          {2 * (b * c + a * dd), a * a + c * c - b * b - dd * dd, 2 * (c * dd - a * b)},
                          {2 * (b * dd - a * c), 2 * (c * dd + a * b), a * a + dd * dd - c * c - b * b}};
  const double qfac = h.pixdim[0] < 0 ? -1.0 : 1.0;
  for (int r = 0; r < 3; ++r) {
    m.m[r][0] = R[r][0] * d[0];
    m.m[r][1] = R[r][1] * d[1];
    m.m[r][2] = R[r][2] * d[2] * qfac;
    m.m[r][3] = h.qoffset[r];
  }
  return m;
}

}  // namespace cvx::io::fmt

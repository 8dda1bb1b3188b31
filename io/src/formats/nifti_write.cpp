// SPDX-License-Identifier: MIT
// NIfTI-1 writing: both sform and qform (scanner-anatomical), units mm and s, scl_* from info.
// A sheared grid (gantry tilt) has no quaternion: its exact sform is written and qform_code is 0.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <cvx/core/log.h>

#include "formats/nifti.h"

namespace cvx::io::fmt {

namespace {

template <class T>
void put(Bytes& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof(T));
}

void putText(Bytes& b, size_t off, size_t cap, const std::string& s) {
  std::memcpy(b.data() + off, s.data(), std::min(s.size(), cap - 1));
}

void niftiCode(PixelType t, int16_t& datatype, int16_t& bitpix) {
  switch (t) {
    case PixelType::UInt8: datatype = 2, bitpix = 8; return;
    case PixelType::Int16: datatype = 4, bitpix = 16; return;
    case PixelType::UInt16: datatype = 512, bitpix = 16; return;
    case PixelType::Float32: datatype = 16, bitpix = 32; return;
    case PixelType::RGB8: datatype = 128, bitpix = 24; return;
    case PixelType::RGB16: datatype = 0, bitpix = 48; return;  // refused by writeImage
    case PixelType::RGB32: datatype = 0, bitpix = 96; return;  // refused by writeImage
  }
}

std::string describe(const Volume& v) {
  std::string d = "CineVox";
  if (!v.info.modality.empty()) d += " " + v.info.modality;
  if (!v.info.seriesDescription.empty()) d += " " + v.info.seriesDescription;
  for (char& c : d)
    if (static_cast<unsigned char>(c) < 32) c = ' ';
  return d.substr(0, 79);
}

}  // namespace

void niftiQuaternion(const Mat4& ras, std::array<double, 3>& bcd, double& qfac) {
  // Gram-Schmidt on the columns: a sheared grid has no exact quaternion (the sform is exact).
  Vec3 col[3];
  for (int c = 0; c < 3; ++c) col[c] = normalized(Vec3{ras.m[0][c], ras.m[1][c], ras.m[2][c]});
  col[1] = normalized(col[1] - col[0] * dot(col[0], col[1]));
  Vec3 third = cross(col[0], col[1]);
  qfac = dot(third, col[2]) < 0 ? -1.0 : 1.0;
  col[2] = third;  // proper rotation; qfac carries the handedness
  auto r = [&](int row, int c) { return col[c][row]; };
  double a = r(0, 0) + r(1, 1) + r(2, 2) + 1.0, b, c, d;
  if (a > 0.5) {
    a = 0.5 * std::sqrt(a);
    b = 0.25 * (r(2, 1) - r(1, 2)) / a;
    c = 0.25 * (r(0, 2) - r(2, 0)) / a;
    d = 0.25 * (r(1, 0) - r(0, 1)) / a;
  } else {
    const double xd = 1.0 + r(0, 0) - (r(1, 1) + r(2, 2));
    const double yd = 1.0 + r(1, 1) - (r(0, 0) + r(2, 2));
    const double zd = 1.0 + r(2, 2) - (r(0, 0) + r(1, 1));
    if (xd > 1.0) {
      b = 0.5 * std::sqrt(xd);
      c = 0.25 * (r(0, 1) + r(1, 0)) / b;
      d = 0.25 * (r(0, 2) + r(2, 0)) / b;
      a = 0.25 * (r(2, 1) - r(1, 2)) / b;
    } else if (yd > 1.0) {
      c = 0.5 * std::sqrt(yd);
      b = 0.25 * (r(0, 1) + r(1, 0)) / c;
      d = 0.25 * (r(1, 2) + r(2, 1)) / c;
      a = 0.25 * (r(0, 2) - r(2, 0)) / c;
    } else {
      d = 0.5 * std::sqrt(zd);
      b = 0.25 * (r(0, 2) + r(2, 0)) / d;
      c = 0.25 * (r(1, 2) + r(2, 1)) / d;
      a = 0.25 * (r(1, 0) - r(0, 1)) / d;
    }
    if (a < 0) b = -b, c = -c, d = -d;
  }
  bcd = {b, c, d};
}

Bytes makeNifti1Header(const Volume& v) {
  Bytes h(352, std::byte{0});
  put<int32_t>(h, 0, 348);
  const auto& dims = v.dims();
  const bool is4d = dims[3] > 1;
  put<int16_t>(h, 40, is4d ? 4 : 3);
  for (int i = 0; i < 4; ++i) put<int16_t>(h, 42 + 2 * i, static_cast<int16_t>(dims[i]));
  for (int i = 4; i < 7; ++i) put<int16_t>(h, 42 + 2 * i, 1);
  int16_t datatype = 0, bitpix = 0;
  niftiCode(v.type(), datatype, bitpix);
  put<int16_t>(h, 70, datatype);
  put<int16_t>(h, 72, bitpix);
  const Mat4 ras = niftiRasFromVoxel(v.geometry);
  std::array<double, 3> bcd{};
  double qfac = 1;
  niftiQuaternion(ras, bcd, qfac);
  const Vec3& s = v.geometry.spacingMm;
  const float pix[8] = {static_cast<float>(qfac), static_cast<float>(s.x), static_cast<float>(s.y),
                        static_cast<float>(s.z), static_cast<float>(phaseStepMs(v) / 1000.0), 1, 1, 1};
  for (int i = 0; i < 8; ++i) put<float>(h, 76 + 4 * i, pix[i]);
  put<float>(h, 108, 352.0f);
  const bool stored = !v.info.rescaleApplied;
  put<float>(h, 112, stored ? static_cast<float>(v.info.rescaleSlope) : 1.0f);
  put<float>(h, 116, stored ? static_cast<float>(v.info.rescaleIntercept) : 0.0f);
  h[123] = std::byte{2 | 8};  // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
  put<float>(h, 136, v.timesMs.empty() ? 0.0f : static_cast<float>(v.timesMs.front() / 1000.0));
  putText(h, 148, 80, describe(v));
  const bool sheared = v.geometry.sheared || isSheared(v.geometry);
  put<int16_t>(h, 252, sheared ? 0 : 1);  // NIFTI_XFORM_SCANNER_ANAT; a rotation cannot hold a shear
  put<int16_t>(h, 254, 1);
  if (!sheared) {
    for (int i = 0; i < 3; ++i) put<float>(h, 256 + 4 * i, static_cast<float>(bcd[i]));
    for (int i = 0; i < 3; ++i) put<float>(h, 268 + 4 * i, static_cast<float>(ras.m[i][3]));
  }
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) put<float>(h, 280 + 16 * r + 4 * c, static_cast<float>(ras.m[r][c]));
  std::memcpy(h.data() + 344, "n+1\0", 4);
  return h;
}

Status writeNifti(const Volume& v, const std::string& path, bool gz) {
  for (int i = 0; i < 4; ++i)
    if (v.dims()[i] > 32767)
      return makeError("format.unsupported", "NIfTI-1 dimensions are limited to 32767", path);
  Bytes head = makeNifti1Header(v);
  if (v.geometry.sheared || isSheared(v.geometry))
    log::warn("format.sheared_sform: " + path + ": sheared grid (gantry tilt) written as its exact sform; "
              "no qform (qform_code 0), so readers that use only the qform see no orientation");
  if (!gz) {
    return writeFileAtomic(path, head, {v.data(), v.byteSize()});
  }
  head.insert(head.end(), v.data(), v.data() + v.byteSize());
  auto z = deflateAll(head.data(), head.size(), true);
  if (!z) return Error{z.error().code, z.error().message, path};
  return writeFileAtomic(path, {}, *z);
}

}  // namespace cvx::io::fmt

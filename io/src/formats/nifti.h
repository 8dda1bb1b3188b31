// SPDX-License-Identifier: MIT
// The NIfTI-1 / NIfTI-2 header fields CineVox uses, decoded into one version-neutral struct.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "formats/internal.h"

namespace cvx::io::fmt {

struct NiftiHeader {
  int version = 1;          // 1 or 2
  bool swap = false;        // file is big-endian
  std::array<int64_t, 8> dim{};
  std::array<double, 8> pixdim{};
  int datatype = 0;
  int64_t voxOffset = 352;
  double sclSlope = 0, sclInter = 0, toffset = 0;
  int qformCode = 0, sformCode = 0;
  std::array<double, 3> quatern{}, qoffset{};
  std::array<std::array<double, 4>, 3> srow{};
  int xyztUnits = 0;
  std::string descrip;
};

constexpr size_t kNifti1HeaderSize = 348;
constexpr size_t kNifti2HeaderSize = 540;

// Decodes a header from `n` bytes; fails with format.bad_header / format.unsupported.
Result<NiftiHeader> parseNiftiHeader(const std::byte* p, size_t n, const std::string& ctx);
// Bytes of one NIfTI-1 header (+ 4 zero extension bytes = 352) for the volume.
Bytes makeNifti1Header(const Volume& v);
// NIfTI datatype code <-> our file type.
bool fileTypeFromNifti(int datatype, FileType& out);
// RAS affine from the header: sform, else qform, else pixdim (method 1); `which` says which.
Mat4 niftiAffine(const NiftiHeader& h, std::string& which);
// The quaternion (b, c, d) and qfac of the rotation part of a RAS affine.
void niftiQuaternion(const Mat4& ras, std::array<double, 3>& bcd, double& qfac);

}  // namespace cvx::io::fmt

// SPDX-License-Identifier: MIT
// Voxel types in files, their conversion to Volume pixel types, and bounded allocation.
#include <bit>
#include <cstring>
#include <limits>

#include "formats/internal.h"

namespace cvx::io::fmt {

static_assert(std::endian::native == std::endian::little, "the writers assume a little-endian host");

size_t fileTypeBytes(FileType t) {
  switch (t) {
    case FileType::U8: case FileType::I8: return 1;
    case FileType::I16: case FileType::U16: return 2;
    case FileType::I32: case FileType::U32: case FileType::F32: return 4;
    case FileType::F64: return 8;
    case FileType::RGB24: return 3;
  }
  return 1;
}

size_t fileTypeScalar(FileType t) { return t == FileType::RGB24 ? 1 : fileTypeBytes(t); }

PixelType volumeTypeFor(FileType t) {
  switch (t) {
    case FileType::U8: return PixelType::UInt8;
    case FileType::I16: return PixelType::Int16;
    case FileType::U16: return PixelType::UInt16;
    case FileType::RGB24: return PixelType::RGB8;
    default: return PixelType::Float32;
  }
}

bool isConverted(FileType t) {
  return t == FileType::I8 || t == FileType::I32 || t == FileType::U32 || t == FileType::F64;
}

const char* fileTypeName(FileType t) {
  switch (t) {
    case FileType::U8: return "uint8";
    case FileType::I8: return "int8";
    case FileType::I16: return "int16";
    case FileType::U16: return "uint16";
    case FileType::I32: return "int32";
    case FileType::U32: return "uint32";
    case FileType::F32: return "float32";
    case FileType::F64: return "float64";
    case FileType::RGB24: return "rgb24";
  }
  return "?";
}

void noteType(FileType t, ImageReadNotes& notes) {
  notes.filePixelType = fileTypeName(t);
  notes.convertedToFloat32 = isConverted(t);
}

Result<uint64_t> voxelBytes(FileType t, const std::array<int64_t, 4>& dims, const std::string& ctx) {
  uint64_t count = 1;
  for (int64_t d : dims) {
    if (d <= 0 || d > (int64_t{1} << 20))
      return makeError("format.bad_header", "dimension out of range: " + std::to_string(d), ctx);
    if (count > std::numeric_limits<uint64_t>::max() / 8 / static_cast<uint64_t>(d))
      return makeError("format.bad_header", "voxel count overflows", ctx);
    count *= static_cast<uint64_t>(d);
  }
  return count * fileTypeBytes(t);
}

Result<std::shared_ptr<Volume>> allocate(FileType t, std::array<int64_t, 4> dims, uint64_t available,
                                         const std::string& ctx) {
  auto need = voxelBytes(t, dims, ctx);
  if (!need) return need.error();
  if (*need > available)
    return makeError("format.truncated", "voxel data needs " + std::to_string(*need) +
                                             " bytes, the file has " + std::to_string(available), ctx);
  auto v = Volume::create(volumeTypeFor(t), dims);
  if (!v) return Error{v.error().code, v.error().message, ctx};
  return v;
}

namespace {

template <class T>
T load(const std::byte* p, bool swap) {
  std::byte b[sizeof(T)];
  std::memcpy(b, p, sizeof(T));
  if (swap)
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
  T v;
  std::memcpy(&v, b, sizeof(T));
  return v;
}

template <class T>
void toFloat(const std::byte* src, bool swap, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(load<T>(src + i * sizeof(T), swap));
}

template <class T>
void copySwapped(const std::byte* src, std::byte* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const T v = load<T>(src + i * sizeof(T), true);
    std::memcpy(dst + i * sizeof(T), &v, sizeof(T));
  }
}

}  // namespace

void decodeVoxels(const std::byte* src, FileType t, bool bigEndian, Volume& v) {
  const int64_t n = v.voxelCount();
  float* f = v.as<float>();
  switch (t) {
    case FileType::I8: return toFloat<int8_t>(src, false, f, n);
    case FileType::I32: return toFloat<int32_t>(src, bigEndian, f, n);
    case FileType::U32: return toFloat<uint32_t>(src, bigEndian, f, n);
    case FileType::F64: return toFloat<double>(src, bigEndian, f, n);
    default: break;
  }
  const size_t scalar = fileTypeScalar(t);
  if (!bigEndian || scalar == 1) {
    std::memcpy(v.data(), src, v.byteSize());
  } else if (scalar == 2) {
    copySwapped<uint16_t>(src, v.data(), n);
  } else {
    copySwapped<uint32_t>(src, v.data(), n);
  }
}

void markAllReady(Volume& v) {
  for (int64_t i = 0; i < v.dims()[2] * v.dims()[3]; ++i) v.markSliceReady(i);
}

double phaseStepMs(const Volume& v) {
  if (v.timesMs.size() < 2) return 0;
  return (v.timesMs.back() - v.timesMs.front()) / static_cast<double>(v.timesMs.size() - 1);
}

void setEvenTimes(Volume& v, double startMs, double stepMs) {
  v.timesMs.clear();
  if (v.dims()[3] <= 1) return;
  for (int64_t t = 0; t < v.dims()[3]; ++t) v.timesMs.push_back(startMs + stepMs * static_cast<double>(t));
}

}  // namespace cvx::io::fmt

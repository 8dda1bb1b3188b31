// SPDX-License-Identifier: MIT
// Helpers for the decoder tests: the pixel format read straight from DCMTK tags (not from the
// scanner under test), whole-file decoding, and stored values as int32 for comparisons.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/core/volume.h>

#include "../data/data_util.h"
#include "../../io/src/decode/decode.h"

namespace cvx::test::dec {

struct FileFormat {
  io::PixelFormat pf;
  uint32_t frames = 1;
  std::string sopInstanceUid;
  bool ok = false;
};

inline FileFormat formatFromDcmtk(const std::string& path) {
  FileFormat out;
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, 1024).bad()) return out;
  DcmDataset* ds = ff.getDataset();
  Uint16 v = 0;
  auto u16 = [&](const DcmTagKey& t, uint16_t def) { return ds->findAndGetUint16(t, v).good() ? v : def; };
  out.pf.rows = u16(DCM_Rows, 0);
  out.pf.cols = u16(DCM_Columns, 0);
  out.pf.samplesPerPixel = u16(DCM_SamplesPerPixel, 1);
  out.pf.bitsAllocated = u16(DCM_BitsAllocated, 16);
  out.pf.bitsStored = u16(DCM_BitsStored, out.pf.bitsAllocated);
  out.pf.highBit = u16(DCM_HighBit, out.pf.bitsStored - 1);
  out.pf.isSigned = u16(DCM_PixelRepresentation, 0) == 1;
  out.pf.planarConfiguration = u16(DCM_PlanarConfiguration, 0);
  OFString s;
  if (ds->findAndGetOFString(DCM_PhotometricInterpretation, s).good()) out.pf.photometric = s.c_str();
  Sint32 frames = 1;
  if (ds->findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 0) out.frames = static_cast<uint32_t>(frames);
  if (ds->findAndGetOFString(DCM_SOPInstanceUID, s).good()) out.sopInstanceUid = s.c_str();
  out.ok = true;
  return out;
}

inline size_t frameBytes(const io::PixelFormat& pf) {
  return static_cast<size_t>(pf.rows) * pf.cols * bytesPerVoxel(pf.storedType());
}

// Decodes every frame (or the given ones) of a file with the decoder under test.
inline Result<std::vector<std::byte>> decodeFile(const std::string& path, const io::PixelFormat& pf,
                                                 std::vector<uint32_t> frames) {
  const size_t fb = frameBytes(pf);
  std::vector<std::byte> buf(fb * frames.size());
  std::vector<io::detail::FrameDest> dests;
  for (size_t i = 0; i < frames.size(); ++i) dests.push_back({frames[i], buf.data() + i * fb});
  Status st = io::detail::decodeFrames(path, pf, dests);
  if (!st) return st.error();
  return buf;
}

inline Result<std::vector<std::byte>> decodeAll(const std::string& path, FileFormat* fmt = nullptr) {
  FileFormat f = formatFromDcmtk(path);
  if (!f.ok) return makeError("test.unreadable", "DCMTK cannot read the header", path);
  if (fmt) *fmt = f;
  std::vector<uint32_t> frames;
  for (uint32_t i = 0; i < f.frames; ++i) frames.push_back(i);
  return decodeFile(path, f.pf, frames);
}

// Stored values as int32 (uint8, int16 or uint16 voxels).
inline std::vector<int32_t> asInt(const std::vector<std::byte>& b, PixelType t) {
  std::vector<int32_t> out;
  if (t == PixelType::UInt8 || t == PixelType::RGB8) {
    for (std::byte x : b) out.push_back(static_cast<int32_t>(x));
    return out;
  }
  out.resize(b.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    uint16_t u;
    std::memcpy(&u, b.data() + 2 * i, 2);
    out[i] = t == PixelType::Int16 ? static_cast<int16_t>(u) : u;
  }
  return out;
}

}  // namespace cvx::test::dec

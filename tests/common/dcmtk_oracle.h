// DCMTK as an independent oracle: stored pixel values of one frame, decoded by DCMTK's own codecs.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>

#include <cvx/core/geometry.h>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

namespace cvx::test {

inline void registerDcmtkCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

// Stored values (masked to BitsStored, sign-extended when signed) of frame `frame`; empty on failure.
inline std::vector<int32_t> dcmtkStoredFrame(const std::string& path, unsigned frame = 0) {
  registerDcmtkCodecs();
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return {};
  DcmDataset* ds = ff.getDataset();
  if (ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) return {};
  Uint16 rows = 0, cols = 0, ba = 16, bs = 16, pr = 0;
  ds->findAndGetUint16(DCM_Rows, rows);
  ds->findAndGetUint16(DCM_Columns, cols);
  ds->findAndGetUint16(DCM_BitsAllocated, ba);
  ds->findAndGetUint16(DCM_BitsStored, bs);
  ds->findAndGetUint16(DCM_PixelRepresentation, pr);
  const size_t n = static_cast<size_t>(rows) * cols;
  std::vector<int32_t> out(n);
  if (ba == 16) {
    const Uint16* px = nullptr;
    unsigned long count = 0;
    if (ds->findAndGetUint16Array(DCM_PixelData, px, &count).bad() || count < n * (frame + 1)) return {};
    for (size_t i = 0; i < n; ++i) {
      uint32_t v = px[frame * n + i] & ((1u << bs) - 1u);
      if (pr == 1 && (v & (1u << (bs - 1)))) out[i] = static_cast<int32_t>(v) - (1 << bs);
      else out[i] = static_cast<int32_t>(v);
    }
  } else if (ba == 8) {
    const Uint8* px = nullptr;
    unsigned long count = 0;
    if (ds->findAndGetUint8Array(DCM_PixelData, px, &count).bad() || count < n * (frame + 1)) return {};
    for (size_t i = 0; i < n; ++i) out[i] = px[frame * n + i];
  } else {
    return {};
  }
  return out;
}

// ImagePositionPatient of a classic file, as DCMTK reads it.
inline std::optional<Vec3> dcmtkPosition(const std::string& path) {
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return std::nullopt;
  Vec3 p;
  for (int i = 0; i < 3; ++i)
    if (ff.getDataset()->findAndGetFloat64(DCM_ImagePositionPatient, p[i], static_cast<unsigned long>(i)).bad())
      return std::nullopt;
  return p;
}

}  // namespace cvx::test

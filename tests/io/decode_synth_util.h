// SPDX-License-Identifier: MIT
// Small DICOM files written with DCMTK into a fresh temp folder, for analytic decoder tests.
#pragma once
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>

#include "decode_test_util.h"
#include "temp_dir.h"

namespace cvx::test::dec {

using ::cvx::test::TempDir;

// The image pixel module of a synthetic file plus its raw Pixel Data bytes (little endian).
struct Synth {
  io::PixelFormat pf;
  uint32_t frames = 1;
  std::vector<uint8_t> bytes;
  std::function<void(DcmDataset&)> extra;  // more attributes (LUTs), or removals
};

inline void registerTestEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

// Writes s as a file in syntax xfer (encoding through DCMTK's encoders when compressed).
inline bool writeSynth(const std::string& path, const Synth& s, E_TransferSyntax xfer = EXS_LittleEndianExplicit,
                       const DcmRepresentationParameter* param = nullptr) {
  registerTestEncoders();
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  char uid[100];
  ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds->putAndInsertUint16(DCM_Rows, s.pf.rows);
  ds->putAndInsertUint16(DCM_Columns, s.pf.cols);
  ds->putAndInsertUint16(DCM_SamplesPerPixel, s.pf.samplesPerPixel);
  ds->putAndInsertString(DCM_PhotometricInterpretation, s.pf.photometric.c_str());
  ds->putAndInsertUint16(DCM_BitsAllocated, s.pf.bitsAllocated);
  ds->putAndInsertUint16(DCM_BitsStored, s.pf.bitsStored);
  ds->putAndInsertUint16(DCM_HighBit, s.pf.highBit);
  ds->putAndInsertUint16(DCM_PixelRepresentation, s.pf.isSigned ? 1 : 0);
  if (s.pf.samplesPerPixel > 1) ds->putAndInsertUint16(DCM_PlanarConfiguration, s.pf.planarConfiguration);
  if (s.frames > 1) ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(s.frames).c_str());
  if (s.pf.bitsAllocated == 16) {
    std::vector<Uint16> w(s.bytes.size() / 2);
    std::memcpy(w.data(), s.bytes.data(), w.size() * 2);
    ds->putAndInsertUint16Array(DCM_PixelData, w.data(), static_cast<unsigned long>(w.size()));
  } else {
    ds->putAndInsertUint8Array(DCM_PixelData, s.bytes.data(), static_cast<unsigned long>(s.bytes.size()));
  }
  if (s.extra) s.extra(*ds);
  const bool native = xfer == EXS_LittleEndianExplicit || xfer == EXS_BigEndianExplicit ||
                      xfer == EXS_LittleEndianImplicit || xfer == EXS_DeflatedLittleEndianExplicit;
  if (!native) {
    const OFCondition c = ds->chooseRepresentation(xfer, param);
    if (c.bad() || !ds->canWriteXfer(xfer)) {
      ADD_FAILURE() << "DCMTK cannot encode: " << c.text();
      return false;
    }
  }
  const OFCondition c = ff.saveFile(path.c_str(), xfer);
  if (c.bad()) ADD_FAILURE() << "DCMTK cannot save: " << c.text();
  return c.good();
}

inline std::vector<uint8_t> le16(const std::vector<uint16_t>& v) {
  std::vector<uint8_t> b(v.size() * 2);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

}  // namespace cvx::test::dec

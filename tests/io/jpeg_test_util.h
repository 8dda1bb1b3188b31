// SPDX-License-Identifier: MIT
// Test helpers for the JPEG lossless decoder: DCMTK as the oracle (fragments, decoding, encoding).
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>

#include "../../io/src/codec/jpeg_lossless.h"

namespace cvx::test {

inline void registerJpegCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJEncoderRegistration::registerCodecs();
  });
}

// The bytes of the first frame of an encapsulated dataset (its fragments, concatenated), taken
// through DCMTK's pixel sequence. Single-frame datasets only.
inline std::vector<uint8_t> encapsulatedFrame(DcmDataset& ds, E_TransferSyntax xfer,
                                              const DcmRepresentationParameter* rp = nullptr) {
  std::vector<uint8_t> out;
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el).bad() || !el) return out;
  DcmPixelSequence* seq = nullptr;
  if (static_cast<DcmPixelData*>(el)->getEncapsulatedRepresentation(xfer, rp, seq).bad() || !seq) return out;
  for (unsigned long i = 1; i < seq->card(); ++i) {  // item 0 is the offset table
    DcmPixelItem* item = nullptr;
    Uint8* p = nullptr;
    if (seq->getItem(item, i).bad() || item->getUint8Array(p).bad() || !p) return {};
    out.insert(out.end(), p, p + item->getLength());
  }
  return out;
}

// One JPEG file read through DCMTK: the encoded frame and DCMTK's own decoding of it.
struct DcmtkJpegFrame {
  std::vector<uint8_t> jpeg;
  std::vector<uint16_t> pixels;  // DCMTK-decoded stored values (16-bit) or widened 8-bit values
  uint16_t rows = 0, cols = 0, samples = 1, bitsAllocated = 0;
  bool ok = false;
};

inline DcmtkJpegFrame dcmtkJpegFrame(const std::string& path) {
  registerJpegCodecs();
  DcmtkJpegFrame f;
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return f;
  DcmDataset* ds = ff.getDataset();
  f.jpeg = encapsulatedFrame(*ds, ds->getOriginalXfer());
  if (f.jpeg.empty() || ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) return f;
  ds->findAndGetUint16(DCM_Rows, f.rows);
  ds->findAndGetUint16(DCM_Columns, f.cols);
  ds->findAndGetUint16(DCM_SamplesPerPixel, f.samples);
  ds->findAndGetUint16(DCM_BitsAllocated, f.bitsAllocated);
  const size_t n = size_t(f.rows) * f.cols * f.samples;
  unsigned long count = 0;
  if (f.bitsAllocated == 16) {
    const Uint16* px = nullptr;
    if (ds->findAndGetUint16Array(DCM_PixelData, px, &count).bad() || count < n) return f;
    f.pixels.assign(px, px + n);
  } else if (f.bitsAllocated == 8) {
    const Uint8* px = nullptr;
    if (ds->findAndGetUint8Array(DCM_PixelData, px, &count).bad() || count < n) return f;
    f.pixels.assign(px, px + n);
  } else {
    return f;
  }
  f.ok = true;
  return f;
}

// Native pixels of an uncompressed file read by DCMTK (no decoder involved).
inline std::vector<uint16_t> dcmtkNative16(const std::string& path) {
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return {};
  const Uint16* px = nullptr;
  unsigned long count = 0;
  if (ff.getDataset()->findAndGetUint16Array(DCM_PixelData, px, &count).bad() || !px) return {};
  return std::vector<uint16_t>(px, px + count);
}

// Encodes a grayscale image with DCMTK's JPEG lossless encoder (process 14, any predictor and
// point transform). bits <= 8 uses 8-bit pixel data. Returns the JPEG stream, empty on failure.
inline std::vector<uint8_t> dcmtkEncodeLossless(const std::vector<uint16_t>& px, uint16_t rows, uint16_t cols,
                                                int bits, int predictor, int pt) {
  registerJpegCodecs();
  DcmDataset ds;
  char uid[100];
  ds.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid));
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertUint16(DCM_Rows, rows);
  ds.putAndInsertUint16(DCM_Columns, cols);
  const uint16_t alloc = bits <= 8 ? 8 : 16;
  ds.putAndInsertUint16(DCM_BitsAllocated, alloc);
  ds.putAndInsertUint16(DCM_BitsStored, uint16_t(bits));
  ds.putAndInsertUint16(DCM_HighBit, uint16_t(bits - 1));
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (alloc == 8) {
    std::vector<Uint8> b(px.begin(), px.end());
    ds.putAndInsertUint8Array(DCM_PixelData, b.data(), b.size());
  } else {
    ds.putAndInsertUint16Array(DCM_PixelData, px.data(), px.size());
  }
  DJ_RPLossless rp(predictor, pt);
  if (ds.chooseRepresentation(EXS_JPEGProcess14, &rp).bad()) return {};
  return encapsulatedFrame(ds, EXS_JPEGProcess14, &rp);
}

}  // namespace cvx::test

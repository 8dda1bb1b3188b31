// SPDX-License-Identifier: MIT
// Opening a file for decoding: header only (big values stay on disk), the file's own pixel
// module, and the check against the pixel format the scan recorded.
#include <cstdint>
#include <vector>

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/classify.h"
#include "dicom/dcm_records.h"
#include "dicom/dcm_util.h"
#include "dicom/fill.h"
#include "decode/internal.h"

namespace cvx::io::detail {
namespace {

// Values longer than this stay on disk until a frame needs them.
constexpr Uint32 kMaxReadLength = 4096;

Status loadHeader(const std::string& path, DecodeFile& f) {
  uint64_t size = 0;
  std::vector<uint8_t> head;
  CVX_TRY(classifyHead(path, size, head));  // the one file classifier, as the scan (classify.h)
  CVX_TRY(checkNoDirectoryRecords(path));   // what DCMTK may see (dcm_records.h)
  const OFCondition c = dcm::loadAsWritten(path, f.ff, kMaxReadLength);  // as written (decode_vr.cpp)
  f.ds = f.ff.getDataset();
  if (c.bad()) return classifyLoadFailure(c, f.ff, path);
  CVX_TRY(classifyDataset(f.ff, path));  // DICOMDIR, no Pixel Data
  return {};
}

std::string syntaxUid(DecodeFile& f) {
  OFString uid;
  if (f.ff.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, uid).good() && !uid.empty()) {
    std::string s(uid.c_str());
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
  }
  return DcmXfer(f.ds->getOriginalXfer()).getXferID();
}

Status readPixelModule(DecodeFile& f) {
  DcmDataset& ds = *f.ds;
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el, OFFalse).bad() || !el)
    return makeError("dicom.no_pixels", "no Pixel Data element", f.path);
  f.pixels = dynamic_cast<DcmPixelData*>(el);
  if (!f.pixels) return makeError("dicom.no_pixels", "Pixel Data element of an unexpected kind", f.path);
  PixelFormat& p = f.pf;
  // The same reading of the pixel module as the scan's (scan_fill.h), so both agree by construction.
  const dcm::DcmAccess acc{&ds};
  fillPixelFormat(acc, p);
  const int frames = getInt(acc, DCM_NumberOfFrames, 1);
  f.frames = frames < 1 ? 1u : static_cast<uint32_t>(frames);
  if (p.rows == 0 || p.cols == 0) return makeError("dicom.no_pixels", "Rows or Columns is zero or missing", f.path);
  const bool bitsOk = p.bitsAllocated == 1 || p.bitsAllocated == 8 || p.bitsAllocated == 16 || p.bitsAllocated == 32;
  if (!bitsOk || p.bitsStored == 0 || p.bitsStored > p.bitsAllocated || p.highBit >= p.bitsAllocated ||
      p.highBit + 1 < p.bitsStored)
    return makeError("dicom.unsupported_pixel",
                     "BitsAllocated/Stored/HighBit " + std::to_string(p.bitsAllocated) + "/" +
                         std::to_string(p.bitsStored) + "/" + std::to_string(p.highBit),
                     f.path);
  if (p.samplesPerPixel != 1 && p.samplesPerPixel != 3)
    return makeError("dicom.unsupported_pixel", "SamplesPerPixel " + std::to_string(p.samplesPerPixel), f.path);
  if (p.samplesPerPixel == 3 && p.bitsAllocated == 1)
    return makeError("dicom.unsupported_pixel", "1-bit colour", f.path);
  return {};
}

std::string describe(const PixelFormat& p) {
  return std::to_string(p.cols) + "x" + std::to_string(p.rows) + "x" + std::to_string(p.samplesPerPixel) + " " +
         std::to_string(p.bitsStored) + "/" + std::to_string(p.bitsAllocated) + " bits " +
         (p.isSigned ? "signed " : "unsigned ") + p.photometric;
}

Status checkExpected(const DecodeFile& f, const PixelFormat& e) {
  const PixelFormat& p = f.pf;
  const bool same = p.rows == e.rows && p.cols == e.cols && p.samplesPerPixel == e.samplesPerPixel &&
                    p.bitsAllocated == e.bitsAllocated && p.bitsStored == e.bitsStored &&
                    p.isSigned == e.isSigned && p.storedType() == e.storedType();
  if (same) return {};
  return makeError("dicom.pixel_mismatch", "file has " + describe(p) + ", scan said " + describe(e), f.path);
}

}  // namespace

Status openFile(const std::string& path, DecodeFile& f) {
  f.path = path;
  CVX_TRY(loadHeader(path, f));
  f.syntax = syntaxUid(f);
  if (!syntaxKind(f.syntax, f.kind))
    return makeError("dicom.unsupported_syntax", "no decoder for transfer syntax " + f.syntax, path);
  return readPixelModule(f);
}

Status openForDecode(const std::string& path, const PixelFormat& expect, DecodeFile& f) {
  CVX_TRY(openFile(path, f));
  return checkExpected(f, expect);
}

}  // namespace cvx::io::detail

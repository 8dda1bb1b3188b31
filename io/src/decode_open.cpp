// SPDX-License-Identifier: MIT
// Opening a file for decoding: header only (big values stay on disk), the file's own pixel
// module, and the check against the pixel format the scan recorded.
#include <cstring>
#include <filesystem>
#include <fstream>

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dcm_records.h"
#include "dcm_util.h"
#include "scan_fill.h"
#include "decode_internal.h"

namespace cvx::io::detail {
namespace {

// Values longer than this stay on disk until a frame needs them.
constexpr Uint32 kMaxReadLength = 4096;

// "DICM" after the 128-byte preamble (PS3.10 7.1).
bool hasMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char b[132] = {};
  return in.read(b, sizeof b) && std::memcmp(b + 128, "DICM", 4) == 0;
}

// The gzip magic (RFC 1952): a compressed copy of a file, the scanner's dicom.gzip.
bool isGzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[2] = {};
  return in.read(reinterpret_cast<char*>(b), 2) && b[0] == 0x1F && b[1] == 0x8B;
}

Status loadHeader(const std::string& path, DecodeFile& f) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return makeError("io.open_failed", "cannot read file size: " + ec.message(), path);
  if (size == 0) return makeError("dicom.empty", "empty file", path);
  if (isGzip(path)) return makeError("dicom.gzip", "gzip-compressed file: gunzip it first", path);
  CVX_TRY(checkNoDirectoryRecords(path));  // what DCMTK may see (dcm_records.h)
  const OFCondition c = dcm::loadAsWritten(path, f.ff, kMaxReadLength);  // as written (decode_vr.cpp)
  f.ds = f.ff.getDataset();
  if (c.bad()) {
    // A file that looked like DICOM (preamble magic, or image attributes read) and whose stream
    // ended inside an element is truncated; anything else is not DICOM.
    const bool looked = hasMagic(path) || f.ds->tagExists(DCM_SOPClassUID) || f.ds->tagExists(DCM_Rows);
    const bool cut = c == EC_StreamNotifyClient || c == EC_PrematureSequDelimitationItem;
    return makeError(looked && cut ? "dicom.truncated" : "dicom.not_dicom", std::string("DCMTK: ") + c.text(), path);
  }
  // Without the magic, DCMTK reads any bytes as a dataset; call it DICOM only if it has one of
  // the attributes every image has.
  const bool image = f.ds->tagExists(DCM_SOPClassUID) || f.ds->tagExists(DCM_Rows) || f.ds->tagExists(DCM_PixelData);
  if (f.ds->card() == 0 || (!image && !hasMagic(path)))
    return makeError("dicom.not_dicom", "no DICOM magic and no image attributes", path);
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

Status openForDecode(const std::string& path, const PixelFormat& expect, DecodeFile& f) {
  f.path = path;
  CVX_TRY(loadHeader(path, f));
  f.syntax = syntaxUid(f);
  if (!syntaxKind(f.syntax, f.kind))
    return makeError("dicom.unsupported_syntax", "no decoder for transfer syntax " + f.syntax, path);
  CVX_TRY(readPixelModule(f));
  return checkExpected(f, expect);
}

}  // namespace cvx::io::detail

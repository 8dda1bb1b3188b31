// readHeader: one file's header through DCMTK, stopping before Pixel Data is read.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/classify.h"
#include "dicom/dcm_records.h"
#include "dicom/dcm_util.h"
#include "dicom/fast_header.h"
#include "dicom/fill.h"
#include "scan/internal.h"
#include "dicom/transfer_syntax.h"

namespace cvx::io {
namespace {

constexpr uint64_t kHeadBytes = detail::kClassifyHeadBytes;  // what the fast parser sees first
constexpr uint64_t kBigHeadBytes = 1024 * 1024;                // and at most

std::string transferSyntaxOf(DcmFileFormat& ff) {
  std::string ts = dcm::str(*ff.getMetaInfo(), DCM_TransferSyntaxUID);
  if (!ts.empty()) return ts;
  const DcmXfer x(ff.getDataset()->getOriginalXfer());
  return x.getXferID() ? x.getXferID() : "";
}

// For native little-endian data that ends the file, the byte offset of the Pixel Data value, so the
// loader can read it straight into the volume. The element header just before it is verified;
// anything unexpected gives -1 (the loader then goes through DCMTK).
int64_t nativePixelOffset(DcmDataset& ds, const std::string& path, const std::string& ts, uint64_t size) {
  if (!detail::isNativeLittleEndian(ts)) return -1;
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el).bad() || !el) return -1;
  const Uint32 len = el->getLength();
  if (len == DCM_UndefinedLength || len == 0 || len > size) return -1;
  const int64_t off = static_cast<int64_t>(size - len);
  const bool explicitVr = detail::findTransferSyntax(ts)->explicitVr;  // native LE: in the table
  const int64_t hdr = explicitVr ? 12 : 8;
  if (off < hdr) return -1;
  unsigned char b[12] = {};
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return -1;
  const bool ok = std::fseek(f, static_cast<long>(off - hdr), SEEK_SET) == 0 &&
                  std::fread(b, 1, static_cast<size_t>(hdr), f) == static_cast<size_t>(hdr);
  std::fclose(f);
  if (!ok || b[0] != 0xE0 || b[1] != 0x7F || b[2] != 0x10 || b[3] != 0x00) return -1;
  const unsigned char* l = b + (explicitVr ? 8 : 4);
  const uint32_t stored = l[0] | (l[1] << 8) | (l[2] << 16) | (static_cast<uint32_t>(l[3]) << 24);
  if (explicitVr && !((b[4] == 'O' && (b[5] == 'W' || b[5] == 'B')))) return -1;
  return stored == len ? off : -1;
}

}  // namespace

namespace {
Result<FileHeader> dcmtkHeader(const std::string& path, uint64_t size);
}  // namespace

Result<FileHeader> readHeader(const std::string& path) {
  // Exceptions never cross the module boundary: DCMTK 3.6.7 throws std::out_of_range on some
  // corrupt DICOMDIR records (found by the fuzzer), and allocation can fail on absurd lengths.
  try {
    return detail::readHeaderChecked(path);
  } catch (const std::exception& e) {
    return makeError("dicom.parse_failed", std::string("DICOM parse failed: ") + e.what(), path);
  } catch (...) {
    return makeError("dicom.parse_failed", "DICOM parse failed: unknown exception", path);
  }
}

Result<FileHeader> detail::readHeaderChecked(const std::string& path) {
  uint64_t size = 0;
  std::vector<uint8_t> head;
  CVX_TRY(detail::classifyHead(path, size, head));  // the one file classifier (classify.h)
  Status refused;
  if (auto fast = detail::parseHeaderFast(path, head.data(), head.size(), size, &refused)) return std::move(*fast);
  if (!refused) return refused.error();
  if (head.size() == kHeadBytes && size > kHeadBytes) {
    // Big headers (Siemens XA private blobs): one more try with up to 1 MiB.
    if (detail::readHeadBytes(path, kBigHeadBytes, size, head))
      if (auto fast = detail::parseHeaderFast(path, head.data(), head.size(), size, &refused)) return std::move(*fast);
    if (!refused) return refused.error();
  }
  return dcmtkHeader(path, size);
}

Result<FileHeader> detail::readHeaderDcmtk(const std::string& path) {
  uint64_t size = 0;
  std::vector<uint8_t> head;
  CVX_TRY(detail::classifyHead(path, size, head));
  return dcmtkHeader(path, size);
}

namespace {

// The DCMTK reader proper, after precheck (size is the file's).
Result<FileHeader> dcmtkHeader(const std::string& path, uint64_t size) {
  CVX_TRY(detail::checkNoDirectoryRecords(path));  // what DCMTK may see (dcm_records.h)
  dcm::initDcmtk();
  DcmFileFormat ff;
  // Elements longer than 4 KiB (Pixel Data, big private blobs) stay on disk until used.
  bool mismatched = false;  // data set written with another VR encoding than declared: read as written
  const OFCondition cond = dcm::loadAsWritten(path, ff, 4096, &mismatched);
  if (cond.bad()) return detail::classifyLoadFailure(cond, ff, path);
  CVX_TRY(detail::classifyDataset(ff, path));  // DICOMDIR, no Pixel Data
  DcmDataset& ds = *ff.getDataset();
  FileHeader h;
  h.path = path;
  h.transferSyntaxUid = transferSyntaxOf(ff);
  h.sopClassUid = dcm::str(ds, DCM_SOPClassUID);
  if (h.sopClassUid.empty()) h.sopClassUid = dcm::str(*ff.getMetaInfo(), DCM_MediaStorageSOPClassUID);
  h.sopInstanceUid = dcm::str(ds, DCM_SOPInstanceUID);
  h.hasPixelData = true;  // classifyDataset
  if (mismatched) h.warnings.push_back(detail::vrMismatch(DcmXfer(ds.getOriginalXfer()).isExplicitVR()));
  h.pixelDataOffset = nativePixelOffset(ds, path, h.transferSyntaxUid, size);
  dcm::DcmAccess acc{&ds};
  detail::fillPixelFormat(acc, h.pixel);
  if (h.pixel.rows == 0 || h.pixel.cols == 0)
    return makeError("dicom.no_pixels", "Rows or Columns missing or zero", path);
  detail::readSeriesInfo(ds, h);
  CVX_TRY(detail::checkFrameCount(acc, path));
  // NumberOfFrames, Rows, Columns, ... against the bytes present, before the frames are listed.
  CVX_TRY(dcm::checkPixelBounds(ds, h.pixel, h.numberOfFrames, path));
  detail::readFrames(ds, h);
  return h;
}

}  // namespace
}  // namespace cvx::io

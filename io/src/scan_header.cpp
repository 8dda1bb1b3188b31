// readHeader: one file's header through DCMTK, stopping before Pixel Data is read.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dcm_records.h"
#include "dcm_util.h"
#include "fast_header.h"
#include "scan_fill.h"
#include "scan_internal.h"

namespace cvx::io {
namespace {

constexpr uint64_t kHeadBytes = 16 * 1024;        // what the fast parser sees first
constexpr const char* kDicomdirClass = "1.2.840.10008.1.3.10";
constexpr uint64_t kBigHeadBytes = 1024 * 1024;   // and at most

// The first `limit` bytes of the file (fewer if it is shorter); false if it cannot be opened.
bool readHead(const std::string& path, uint64_t limit, uint64_t size, std::vector<uint8_t>& head) {
  head.resize(static_cast<size_t>(std::min<uint64_t>(size, limit)));
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  head.resize(std::fread(head.data(), 1, head.size(), f));
  std::fclose(f);
  return true;
}

// Cheap checks before DCMTK sees the file: empty, gzip, too small.
Status precheck(const std::string& path, uint64_t& size, std::vector<uint8_t>& headBytes) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) return makeError("io.open_failed", "cannot open file", path);
  if (!S_ISREG(st.st_mode)) return makeError("io.not_a_file", "not a regular file", path);
  size = static_cast<uint64_t>(st.st_size);
  if (size == 0) return makeError("dicom.empty", "file is empty", path);
  if (!readHead(path, kHeadBytes, size, headBytes)) return makeError("io.open_failed", "cannot read file", path);
  const size_t n = headBytes.size();
  const unsigned char* head = headBytes.data();
  if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    return makeError("dicom.gzip", "file is gzip-compressed, not DICOM; decompress it first", path);
  if (n >= 132 && std::memcmp(head + 128, "DICM", 4) == 0) return {};
  if (size < 132 && std::all_of(head, head + n, [](unsigned char c) { return c == 0; }))
    return makeError("dicom.truncated", "file ends inside the DICOM preamble", path);
  // No preamble: accept a dataset that starts with a plausible group (little or big endian).
  if (n >= 8) {
    const unsigned le = head[0] | (head[1] << 8), be = (head[0] << 8) | head[1];
    auto plausible = [](unsigned g) { return g >= 0x0002 && g <= 0x0028 && g % 2 == 0; };
    if (plausible(le) || plausible(be)) return {};
  }
  return makeError("dicom.not_dicom", "not a DICOM file (no DICM marker, no dataset start)", path);
}


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
  const bool explicitVr = ts == "1.2.840.10008.1.2.1";
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
  CVX_TRY(precheck(path, size, head));
  // A DICOMDIR is an index, never an image: decline it before DCMTK builds its directory records
  // (which throw, and leak, on corrupt ones; found by the fuzzer).
  if (detail::mediaStorageClass(head.data(), head.size()) == kDicomdirClass)
    return makeError("dicom.dicomdir", "DICOMDIR (read as an index, not an image)", path);
  Status refused;
  if (auto fast = detail::parseHeaderFast(path, head.data(), head.size(), size, &refused)) return std::move(*fast);
  if (!refused) return refused.error();
  if (head.size() == kHeadBytes && size > kHeadBytes) {
    // Big headers (Siemens XA private blobs): one more try with up to 1 MiB.
    if (readHead(path, kBigHeadBytes, size, head))
      if (auto fast = detail::parseHeaderFast(path, head.data(), head.size(), size, &refused)) return std::move(*fast);
    if (!refused) return refused.error();
  }
  return dcmtkHeader(path, size);
}

Result<FileHeader> detail::readHeaderDcmtk(const std::string& path) {
  uint64_t size = 0;
  std::vector<uint8_t> head;
  CVX_TRY(precheck(path, size, head));
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
  if (cond.bad()) {
    const std::string why = cond.text();
    const bool trunc = why.find("end of stream") != std::string::npos ||
                       why.find("Premature") != std::string::npos ||
                       why.find("premature") != std::string::npos;
    return makeError(trunc ? "dicom.truncated" : "dicom.parse_failed", "DICOM parse failed: " + why, path);
  }
  DcmDataset& ds = *ff.getDataset();
  FileHeader h;
  h.path = path;
  h.transferSyntaxUid = transferSyntaxOf(ff);
  h.sopClassUid = dcm::str(ds, DCM_SOPClassUID);
  if (h.sopClassUid.empty()) h.sopClassUid = dcm::str(*ff.getMetaInfo(), DCM_MediaStorageSOPClassUID);
  h.sopInstanceUid = dcm::str(ds, DCM_SOPInstanceUID);
  h.hasPixelData = ds.tagExists(DCM_PixelData) || ds.tagExists(DCM_FloatPixelData);
  if (!h.hasPixelData) {
    if (h.sopClassUid == "1.2.840.10008.1.3.10")
      return makeError("dicom.dicomdir", "DICOMDIR (read as an index, not an image)", path);
    return makeError("dicom.no_pixels", "no Pixel Data (SOP class " + h.sopClassUid + ")", path);
  }
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

// SPDX-License-Identifier: MIT
// The one file classifier (classify.h), shared by the scan and the decoder.
#include "dicom/classify.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include "dicom/dcm_util.h"
#include "dicom/fast_header.h"
#include "dicom/fill.h"

namespace cvx::io::detail {
namespace {

constexpr const char* kDicomdirClass = "1.2.840.10008.1.3.10";  // Media Storage Directory Storage

}  // namespace

bool readHeadBytes(const std::string& path, uint64_t limit, uint64_t size, std::vector<uint8_t>& head) {
  head.resize(static_cast<size_t>(std::min<uint64_t>(size, limit)));
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  head.resize(std::fread(head.data(), 1, head.size(), f));
  std::fclose(f);
  return true;
}

Status classifyHead(const std::string& path, uint64_t& size, std::vector<uint8_t>& headBytes) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) return makeError("io.open_failed", "cannot open file", path);
  if (!S_ISREG(st.st_mode)) return makeError("io.not_a_file", "not a regular file", path);
  size = static_cast<uint64_t>(st.st_size);
  if (size == 0) return makeError("dicom.empty", "file is empty", path);
  if (!readHeadBytes(path, kClassifyHeadBytes, size, headBytes))
    return makeError("io.open_failed", "cannot read file", path);
  const size_t n = headBytes.size();
  const unsigned char* head = headBytes.data();
  if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    return makeError("dicom.gzip", "file is gzip-compressed, not DICOM; decompress it first", path);
  if (n >= 132 && std::memcmp(head + 128, "DICM", 4) == 0) {
    // A DICOMDIR is an index, never an image: declined before DCMTK builds its directory records
    // (which throw, and leak, on corrupt ones; found by the fuzzer).
    if (mediaStorageClass(head, n) == kDicomdirClass)
      return makeError("dicom.dicomdir", "DICOMDIR (read as an index, not an image)", path);
    return {};
  }
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

Error classifyLoadFailure(const OFCondition& c, DcmFileFormat& ff, const std::string& path) {
  const std::string why = c.text();
  const bool cut = c == EC_StreamNotifyClient || c == EC_PrematureSequDelimitationItem ||
                   why.find("end of stream") != std::string::npos || why.find("remature") != std::string::npos;
  if (!cut) return makeError("dicom.parse_failed", "DICOM parse failed: " + why, path);
  // The stream ended after Pixel Data began: a pixel module no decoder reads, or a Pixel Data
  // length shorter than its frames, is the header's lie (the fast parser's code, which never
  // reads past Pixel Data); otherwise the file is cut.
  DcmDataset& ds = *ff.getDataset();
  if (ds.tagExists(DCM_PixelData)) {
    const dcm::DcmAccess acc{&ds};
    PixelFormat p;
    fillPixelFormat(acc, p);
    const int frames = getInt(acc, DCM_NumberOfFrames, 1);
    if (Status st = dcm::checkPixelBounds(ds, p, frames < 1 ? 1u : static_cast<uint32_t>(frames), path); !st)
      return st.error();
  }
  return makeError("dicom.truncated", "DICOM parse failed: " + why, path);
}

Status classifyDataset(DcmFileFormat& ff, const std::string& path) {
  DcmDataset& ds = *ff.getDataset();
  if (ds.tagExists(DCM_PixelData) || ds.tagExists(DCM_FloatPixelData)) return {};
  std::string sop = dcm::str(ds, DCM_SOPClassUID);
  if (sop.empty()) sop = dcm::str(*ff.getMetaInfo(), DCM_MediaStorageSOPClassUID);
  if (sop == kDicomdirClass) return makeError("dicom.dicomdir", "DICOMDIR (read as an index, not an image)", path);
  return makeError("dicom.no_pixels", "no Pixel Data (SOP class " + sop + ")", path);
}

}  // namespace cvx::io::detail

// Files that share a SOPInstanceUID: the same image twice (a copy, a re-export) or two different
// images that a broken writer gave one UID. "Differs" is decided from the header (series,
// SeriesNumber, position, pixel format, frames) and, when those agree and both files are in the
// same transfer syntax, from a 64-bit FNV-1a hash of the pixel bytes: Pixel Data is the last
// element, so the whole native value is the file's last Rows x Columns x ... bytes; for
// encapsulated or deflated data the last 64 KiB are compared. Hashed only for such candidates.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "scan/duplicates.h"
#include "dicom/frame_size.h"
#include "dicom/transfer_syntax.h"

namespace cvx::io::detail {
namespace {

constexpr uint64_t kTailBytes = 64 * 1024;

// How many bytes at the end of two files with matching headers and transfer syntax to compare:
// the whole native Pixel Data value (even length, it is the last element), else the last 64 KiB.
uint64_t comparedBytes(const FileHeader& a, uint64_t sizeA, uint64_t sizeB) {
  if (isNativeSyntax(a.transferSyntaxUid)) {
    const PixelFormat& p = a.pixel;
    const uint64_t bytes = framesBytes(p, a.numberOfFrames).value_or(UINT64_MAX - 1);  // frame_size.h
    return std::min({bytes + (bytes & 1), sizeA, sizeB});
  }
  return std::min({kTailBytes, sizeA, sizeB});
}

uint64_t fileSize(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

// FNV-1a of the last n bytes of a file; nullopt when it cannot be read.
std::optional<uint64_t> tailHash(const std::string& path, uint64_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const off_t size = ::lseek(fd, 0, SEEK_END);
  off_t pos = size - static_cast<off_t>(n);
  uint64_t hash = 1469598103934665603ull;
  std::vector<unsigned char> buf(size_t{1} << 16);
  while (pos >= 0 && pos < size) {
    const ssize_t r = ::pread(fd, buf.data(), buf.size(), pos);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r; ++i) hash = (hash ^ buf[static_cast<size_t>(i)]) * 1099511628211ull;
    pos += r;
  }
  ::close(fd);
  if (pos != size) return std::nullopt;
  return hash;
}

bool samePosition(const FileHeader& a, const FileHeader& b) {
  const auto& pa = a.frames.empty() ? std::nullopt : a.frames.front().position;
  const auto& pb = b.frames.empty() ? std::nullopt : b.frames.front().position;
  if (pa.has_value() != pb.has_value()) return false;
  return !pa || (std::abs(pa->x - pb->x) + std::abs(pa->y - pb->y) + std::abs(pa->z - pb->z) < 1e-4);
}

bool samePixelFormat(const PixelFormat& a, const PixelFormat& b) {
  return a.rows == b.rows && a.cols == b.cols && a.samplesPerPixel == b.samplesPerPixel &&
         a.bitsAllocated == b.bitsAllocated && a.bitsStored == b.bitsStored && a.isSigned == b.isSigned &&
         a.photometric == b.photometric;
}

// The first header field in which two files differ, empty when none does.
std::string headerDifference(const FileHeader& a, const FileHeader& b) {
  if (a.info.seriesInstanceUid != b.info.seriesInstanceUid) return "SeriesInstanceUID";
  if (a.info.seriesNumber != b.info.seriesNumber)
    return "SeriesNumber " + std::to_string(b.info.seriesNumber) + " vs " + std::to_string(a.info.seriesNumber);
  if (!samePosition(a, b)) return "ImagePositionPatient";
  if (!samePixelFormat(a.pixel, b.pixel)) return "pixel format";
  if (a.numberOfFrames != b.numberOfFrames) return "NumberOfFrames";
  return {};
}

}  // namespace

struct DuplicateFilter::State {
  std::unordered_map<std::string, std::vector<size_t>> byUid;  // SOPInstanceUID -> indices into out.files
};

DuplicateFilter::DuplicateFilter() : s_(std::make_unique<State>()) {}
DuplicateFilter::~DuplicateFilter() = default;

void DuplicateFilter::add(FileHeader h, ScanResult& out) {
  if (h.sopInstanceUid.empty()) {
    out.files.push_back(std::move(h));
    return;
  }
  auto& kept = s_->byUid[h.sopInstanceUid];
  std::string why;
  for (size_t i : kept) {
    const FileHeader& earlier = out.files[i];
    why = headerDifference(earlier, h);
    // Another transfer syntax re-encodes the same image: its bytes cannot be compared.
    if (why.empty() && earlier.transferSyntaxUid == h.transferSyntaxUid) {
      const uint64_t n = comparedBytes(h, fileSize(h.path), fileSize(earlier.path));
      const auto mine = tailHash(h.path, n), theirs = tailHash(earlier.path, n);
      if (!mine || !theirs || *mine != *theirs) why = "pixel data";
    }
    if (why.empty()) {
      out.skipped.push_back({"dicom.duplicate_sop", "same SOPInstanceUID and content as " + earlier.path, h.path});
      return;
    }
  }
  if (!kept.empty())
    out.warnings.push_back({"dicom.duplicate_sop_differs",
                            h.path + " has the SOPInstanceUID of " + out.files[kept.back()].path + " but another " +
                                why + "; kept as a different image", h.path});
  kept.push_back(out.files.size());
  out.files.push_back(std::move(h));
}

}  // namespace cvx::io::detail

// Files that share a SOPInstanceUID: the same image twice (a copy, a re-export) or two different
// images that a broken writer gave one UID. "Differs" is decided from the header (series,
// SeriesNumber, position, pixel format, frames) and, when those agree and both files are in the
// same transfer syntax, from a 64-bit FNV-1a hash of the pixel bytes (the native Pixel Data value
// when the scan verified its offset, else the file's last 64 KiB, where Pixel Data ends).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "scan_duplicates.h"

namespace cvx::io::detail {
namespace {

constexpr int64_t kTailBytes = 64 * 1024;

std::optional<uint64_t> pixelHash(const FileHeader& h) {
  const int fd = ::open(h.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const off_t size = ::lseek(fd, 0, SEEK_END);
  off_t pos = h.pixelDataOffset >= 0 ? static_cast<off_t>(h.pixelDataOffset) : std::max<off_t>(0, size - kTailBytes);
  uint64_t hash = 1469598103934665603ull;
  std::vector<unsigned char> buf(size_t{1} << 16);
  while (pos < size) {
    const ssize_t r = ::pread(fd, buf.data(), buf.size(), pos);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r; ++i) hash = (hash ^ buf[static_cast<size_t>(i)]) * 1099511628211ull;
    pos += r;
  }
  ::close(fd);
  if (pos < size) return std::nullopt;
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
  std::unordered_map<size_t, std::optional<uint64_t>> hashes;  // by index into out.files

  const std::optional<uint64_t>& hashOf(const ScanResult& out, size_t i) {
    auto it = hashes.find(i);
    if (it == hashes.end()) it = hashes.emplace(i, pixelHash(out.files[i])).first;
    return it->second;
  }
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
  std::optional<uint64_t> mine;
  for (size_t i : kept) {
    const FileHeader& earlier = out.files[i];
    why = headerDifference(earlier, h);
    // Another transfer syntax re-encodes the same image: its bytes cannot be compared.
    if (why.empty() && earlier.transferSyntaxUid == h.transferSyntaxUid) {
      if (!mine) mine = pixelHash(h);
      const auto& theirs = s_->hashOf(out, i);
      if (!mine || !theirs || *mine != *theirs) why = "pixel data";
    }
    if (why.empty()) {
      out.skipped.push_back({h.path, "dicom.duplicate_sop", "same SOPInstanceUID and content as " + earlier.path});
      return;
    }
  }
  if (!kept.empty())
    out.warnings.push_back({"dicom.duplicate_sop_differs",
                            h.path + " has the SOPInstanceUID of " + out.files[kept.front()].path + " but another " +
                                why + "; kept as a different image"});
  if (mine) s_->hashes.emplace(out.files.size(), mine);
  kept.push_back(out.files.size());
  out.files.push_back(std::move(h));
}

}  // namespace cvx::io::detail

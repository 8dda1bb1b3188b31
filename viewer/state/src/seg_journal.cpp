// SPDX-License-Identifier: MIT
// The editing journal (cvx/viewstate/seg_journal.h). File layout (little-endian, as the host):
//   "CVXSEGJ\0", u32 version, u32 header length, u32 CRC-32 of the header, header
//   then records: u32 'CVXR', u32 payload length, u32 CRC-32 of the payload, payload
// header: dims (3 x i64), geometry, reference, segment table, u32 layers, per layer (u64 RLE
// length, RLE bytes). payload: u8 op, u64 sequence, u32 layers, u8 segments changed, [segment
// table], u32 bricks, per brick (u32 layer, bx, by, bz, u32 RLE length, RLE bytes).
#include <cvx/viewstate/seg_journal.h>

#include "seg_journal_codec.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace cvx::view {
using namespace journal;
namespace {

std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

Error ioError(const std::string& what, const std::string& path) {
  return makeError("seg.journal_io", what + ": " + std::strerror(errno), path);
}

std::atomic<uint64_t> gJournalCounter{0};

}  // namespace

BrickBox brickBox(const std::array<int64_t, 3>& dims, const BrickId& b) {
  BrickBox box;
  const uint32_t c[3] = {b.bx, b.by, b.bz};
  for (int a = 0; a < 3; ++a) {
    box.lo[a] = std::min<int64_t>(static_cast<int64_t>(c[a]) * kBrickEdge, dims[a]);
    box.hi[a] = std::min<int64_t>(box.lo[a] + kBrickEdge, dims[a]);
  }
  return box;
}

void readBrick(const Segmentation& seg, const BrickId& b, std::vector<uint8_t>& out) {
  const auto& d = seg.dims();
  const BrickBox box = brickBox(d, b);
  out.resize(static_cast<size_t>(box.voxels()));
  const uint8_t* p = seg.layers()[b.layer]->as<uint8_t>();
  const int64_t w = box.hi[0] - box.lo[0];
  size_t at = 0;
  for (int64_t z = box.lo[2]; z < box.hi[2]; ++z)
    for (int64_t y = box.lo[1]; y < box.hi[1]; ++y, at += static_cast<size_t>(w))
      std::memcpy(out.data() + at, p + (z * d[1] + y) * d[0] + box.lo[0], static_cast<size_t>(w));
}

void writeBrick(Segmentation& seg, const BrickId& b, const uint8_t* bytes) {
  const auto& d = seg.dims();
  const BrickBox box = brickBox(d, b);
  uint8_t* p = seg.layers()[b.layer]->as<uint8_t>();
  const int64_t w = box.hi[0] - box.lo[0];
  size_t at = 0;
  for (int64_t z = box.lo[2]; z < box.hi[2]; ++z)
    for (int64_t y = box.lo[1]; y < box.hi[1]; ++y, at += static_cast<size_t>(w))
      std::memcpy(p + (z * d[1] + y) * d[0] + box.lo[0], bytes + at, static_cast<size_t>(w));
}

void rleEncode(const uint8_t* p, size_t n, std::vector<uint8_t>& out) {
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && p[j] == p[i]) ++j;
    uint64_t run = j - i;
    do {
      const uint8_t b = run & 0x7Fu;
      run >>= 7;
      out.push_back(run ? (b | 0x80u) : b);
    } while (run);
    out.push_back(p[i]);
    i = j;
  }
}

bool rleDecode(const uint8_t* in, size_t inSize, uint8_t* out, size_t n) {
  size_t at = 0, o = 0;
  while (at < inSize) {
    uint64_t run = 0;
    int shift = 0;
    for (;;) {
      if (at >= inSize || shift > 56) return false;
      const uint8_t b = in[at++];
      run |= static_cast<uint64_t>(b & 0x7Fu) << shift;
      shift += 7;
      if (!(b & 0x80u)) break;
    }
    if (at >= inSize || run == 0 || run > n - o) return false;
    std::memset(out + o, in[at++], run);
    o += run;
  }
  return o == n;
}

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc) {
  static const std::array<uint32_t, 256> table = makeCrcTable();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

Result<std::unique_ptr<SegJournal>> SegJournal::create(const std::string& dir, const Segmentation& seg,
                                                       JournalOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string path =
      dir + "/segedit-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) +
      "-" + std::to_string(::getpid()) + "-" + std::to_string(gJournalCounter++) + kExtension;
  std::unique_ptr<SegJournal> j(new SegJournal());
  j->path_ = path;
  j->options_ = options;
  j->fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (j->fd_ < 0) return ioError("cannot create the journal", path);
  if (::flock(j->fd_, LOCK_EX | LOCK_NB) != 0) return ioError("cannot lock the journal", path);

  Writer h;
  const auto& d = seg.dims();
  for (int a = 0; a < 3; ++a) h.put<int64_t>(d[a]);
  const Geometry& g = seg.geometry();
  putVec(h, g.spacingMm), putVec(h, g.originMm);
  for (const Vec3& c : g.direction) putVec(h, c);
  h.put<uint8_t>(g.spacingKnown), h.put<uint8_t>(g.sheared);
  const ReferencedSeries& r = seg.reference;
  h.str(r.studyInstanceUid), h.str(r.seriesInstanceUid), h.str(r.frameOfReferenceUid), h.str(r.sopClassUid);
  h.put<uint32_t>(static_cast<uint32_t>(r.sopInstanceUids.size()));
  for (const std::string& s : r.sopInstanceUids) h.str(s);
  putSegments(h, seg.segments());
  h.put<uint32_t>(static_cast<uint32_t>(seg.layers().size()));
  std::vector<uint8_t> rle;
  for (const auto& layer : seg.layers()) {
    rle.clear();
    rleEncode(layer->as<uint8_t>(), static_cast<size_t>(seg.voxelsPerLayer()), rle);
    h.put<uint64_t>(rle.size());
    h.b.insert(h.b.end(), rle.begin(), rle.end());
  }
  Writer f;
  f.b.assign(kMagic, kMagic + 8);
  f.put<uint32_t>(kVersion);
  f.put<uint32_t>(static_cast<uint32_t>(h.b.size()));
  f.put<uint32_t>(crc32(h.b.data(), h.b.size()));
  f.b.insert(f.b.end(), h.b.begin(), h.b.end());
  CVX_TRY(j->writeAll(f.b.data(), f.b.size()));
  if (::fdatasync(j->fd_) != 0) return ioError("cannot sync the journal", path);
  return j;
}

SegJournal::~SegJournal() {
  if (fd_ >= 0) ::close(fd_);
}

Status SegJournal::writeAll(const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return ioError("cannot write the journal", path_);
    p += w, n -= static_cast<size_t>(w);
  }
  return {};
}

Status SegJournal::appendStep(Op op, const Segmentation& seg, const std::vector<BrickId>& bricks,
                              bool segmentsChanged) {
  if (fd_ < 0) return makeError("seg.journal_io", "the journal is closed", path_);
  Writer p;
  p.put(static_cast<uint8_t>(op));
  p.put<uint64_t>(records_);
  p.put<uint32_t>(static_cast<uint32_t>(seg.layers().size()));
  p.put<uint8_t>(segmentsChanged ? 1 : 0);
  if (segmentsChanged) putSegments(p, seg.segments());
  p.put<uint32_t>(static_cast<uint32_t>(bricks.size()));
  std::vector<uint8_t> raw, rle;
  for (const BrickId& b : bricks) {
    readBrick(seg, b, raw);
    rle.clear();
    rleEncode(raw.data(), raw.size(), rle);
    p.put(b.layer), p.put(b.bx), p.put(b.by), p.put(b.bz);
    p.bytes(rle);
  }
  Writer f;
  f.b.reserve(p.b.size() + 12);
  f.put<uint32_t>(kRecordMark);
  f.put<uint32_t>(static_cast<uint32_t>(p.b.size()));
  f.put<uint32_t>(crc32(p.b.data(), p.b.size()));
  f.b.insert(f.b.end(), p.b.begin(), p.b.end());
  if (tearNext_) {
    (void)writeAll(f.b.data(), f.b.size() / 2);
    std::raise(SIGKILL);
  }
  CVX_TRY(writeAll(f.b.data(), f.b.size()));
  if (options_.syncEachStep && ::fdatasync(fd_) != 0) return ioError("cannot sync the journal", path_);
  ++records_;
  return {};
}

Status SegJournal::close() {
  if (fd_ < 0) return {};
  ::close(fd_);
  fd_ = -1;
  return discard(path_);
}

Status SegJournal::discard(const std::string& path) {
  // Never a journal a live session holds (its LOCK_EX): that session's edits would lose their file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Status{} : ioError("cannot open the journal to remove it", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return makeError("seg.journal_in_use", "another CineVox is editing with this journal: it is not removed", path);
  }
  const bool removed = ::unlink(path.c_str()) == 0 || errno == ENOENT;
  ::close(fd);
  if (!removed) return ioError("cannot remove the journal", path);
  return {};
}

std::vector<std::string> SegJournal::pending(const std::string& dir) {
  std::vector<std::pair<std::filesystem::file_time_type, std::string>> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec) || e.path().extension() != kExtension) continue;
    const int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const bool free = ::flock(fd, LOCK_SH | LOCK_NB) == 0;  // a live session holds LOCK_EX
    ::close(fd);
    if (free) found.emplace_back(e.last_write_time(ec), e.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

}  // namespace cvx::view

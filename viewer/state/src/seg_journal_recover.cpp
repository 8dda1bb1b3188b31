// SPDX-License-Identifier: MIT
// Recovery from an editing journal (cvx/viewstate/seg_journal.h): the header's segmentation, then
// every whole record in order; the first torn or corrupt record ends the replay with a warning. And
// peek: the same header and record frames read for a summary, no layer decoded.
#include <cvx/viewstate/seg_journal.h>
#include <cmath>
#include <cstdio>

#include <sys/stat.h>

#include "seg_journal_codec.h"

namespace cvx::view {
using namespace journal;
namespace {

Error badHeader(const std::string& why, const std::string& path) {
  return makeError("seg.journal_bad_header", "the journal's header is unreadable: " + why, path);
}

bool readFile(const std::string& path, std::vector<uint8_t>& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

// Applies one whole record (CRC already checked). False when it does not fit the grid.
bool applyRecord(Segmentation& seg, Reader& r) {
  const uint8_t op = r.get<uint8_t>();
  (void)r.get<uint64_t>();  // sequence
  const uint32_t layers = r.get<uint32_t>();
  const uint8_t segsChanged = r.get<uint8_t>();
  if (!r.ok || op < 1 || op > 3 || layers > 4096) return false;
  std::vector<Segment> segs;
  if (segsChanged) {
    segs = getSegments(r);
    if (!r.ok) return false;
  }
  while (seg.layers().size() < layers)
    if (!seg.addLayer()) return false;
  const uint32_t nBricks = r.get<uint32_t>();
  const auto& d = seg.dims();
  std::vector<uint8_t> raw;
  for (uint32_t i = 0; i < nBricks && r.ok; ++i) {
    BrickId b;
    b.layer = r.get<uint32_t>(), b.bx = r.get<uint32_t>(), b.by = r.get<uint32_t>(), b.bz = r.get<uint32_t>();
    const uint32_t len = r.get<uint32_t>();
    const uint8_t* rle = r.span(len);
    if (!r.ok || b.layer >= seg.layers().size()) return false;
    const BrickBox box = brickBox(d, b);
    if (box.voxels() <= 0 || static_cast<int64_t>(b.bx) * kBrickEdge >= d[0] ||
        static_cast<int64_t>(b.by) * kBrickEdge >= d[1] || static_cast<int64_t>(b.bz) * kBrickEdge >= d[2])
      return false;
    raw.resize(static_cast<size_t>(box.voxels()));
    if (!rleDecode(rle, len, raw.data(), raw.size())) return false;
    writeBrick(seg, b, raw.data());
  }
  if (!r.ok || r.at != r.n) return false;
  if (segsChanged) seg.segments() = std::move(segs);
  return true;
}

// The header's fields up to the segment table.
struct HeaderFields {
  std::array<int64_t, 3> dims{};
  Geometry geometry;
  ReferencedSeries reference;
  std::vector<Segment> segments;
};

// Reads the frame (magic, version, length, CRC-32) from f, at the file's start, and the header's
// fields up to its segment table; h is left over the header, at its layer count.
Result<HeaderFields> readHeader(Reader& f, Reader& h, const std::string& path) {
  const uint8_t* magic = f.span(8);
  if (!magic || std::memcmp(magic, kMagic, 8) != 0) return badHeader("not a CineVox editing journal", path);
  const uint32_t version = f.get<uint32_t>();
  if (!f.ok) return badHeader("truncated", path);
  if (version != SegJournal::kVersion)
    return makeError("seg.journal_version",
                     "journal version " + std::to_string(version) + " (this build reads " +
                         std::to_string(SegJournal::kVersion) + ")",
                     path);
  const uint32_t hlen = f.get<uint32_t>(), hcrc = f.get<uint32_t>();
  const uint8_t* hp = f.span(hlen);
  if (!hp) return badHeader("truncated", path);
  if (crc32(hp, hlen) != hcrc) return badHeader("CRC mismatch", path);
  h = Reader{hp, hlen};
  HeaderFields out;
  for (auto& v : out.dims) v = h.get<int64_t>();
  Geometry& g = out.geometry;
  g.spacingMm = getVec(h), g.originMm = getVec(h);
  for (Vec3& c : g.direction) c = getVec(h);
  g.spacingKnown = h.get<uint8_t>() != 0, g.sheared = h.get<uint8_t>() != 0;
  const auto& d = out.dims;
  if (!h.ok || d[0] <= 0 || d[1] <= 0 || d[2] <= 0 || d[0] > (1 << 20) || d[1] > (1 << 20) || d[2] > (1 << 20))
    return badHeader("bad dimensions", path);
  ReferencedSeries& ref = out.reference;
  ref.studyInstanceUid = h.str(), ref.seriesInstanceUid = h.str(), ref.frameOfReferenceUid = h.str();
  ref.sopClassUid = h.str();
  const uint32_t nUids = h.get<uint32_t>();
  for (uint32_t i = 0; i < nUids && h.ok; ++i) ref.sopInstanceUids.push_back(h.str());
  out.segments = getSegments(h);
  if (!h.ok) return badHeader("truncated", path);
  return out;
}

// The next record's payload (its frame and CRC-32 checked), or nullptr for a torn or corrupt one.
const uint8_t* nextRecord(Reader& f, uint32_t& len) {
  const uint32_t mark = f.get<uint32_t>();
  len = f.get<uint32_t>();
  const uint32_t crc = f.get<uint32_t>();
  const uint8_t* p = f.span(len);
  return f.ok && mark == kRecordMark && crc32(p, len) == crc ? p : nullptr;
}

}  // namespace

Result<RecoveredSegmentation> SegJournal::recover(const std::string& path) {
  std::vector<uint8_t> file;
  if (!readFile(path, file)) return makeError("seg.journal_io", "cannot read the journal", path);
  Reader f{file.data(), file.size()}, h{nullptr, 0};
  auto head = readHeader(f, h, path);
  if (!head.ok()) return head.error();
  const uint32_t nLayers = h.get<uint32_t>();
  if (!h.ok || nLayers > 4096) return badHeader("truncated", path);
  RecoveredSegmentation out{Segmentation(head->dims, head->geometry), 0, {}};
  Segmentation& seg = out.seg;
  seg.reference = std::move(head->reference);
  for (uint32_t l = 0; l < nLayers; ++l) {
    const uint64_t len = h.get<uint64_t>();
    const uint8_t* rle = h.ok && len <= h.n - h.at ? h.span(static_cast<size_t>(len)) : nullptr;
    if (!rle) return badHeader("truncated layer", path);
    auto li = seg.addLayer();
    if (!li) return li.error();
    if (!rleDecode(rle, static_cast<size_t>(len), seg.layers()[*li]->as<uint8_t>(),
                   static_cast<size_t>(seg.voxelsPerLayer())))
      return badHeader("corrupt layer", path);
  }
  seg.segments() = std::move(head->segments);

  while (f.at < f.n) {
    const size_t recordAt = f.at;
    uint32_t len = 0;
    const uint8_t* p = nextRecord(f, len);
    if (!p) {
      out.warnings.emplace_back("seg.journal_torn_tail",
                                "a torn or corrupt record at byte " + std::to_string(recordAt) +
                                    " was dropped with the " + std::to_string(f.n - recordAt) +
                                    " bytes after it; " + std::to_string(out.records) +
                                    " whole records recovered",
                                path);
      break;
    }
    Reader r{p, len};
    if (!applyRecord(seg, r))
      return makeError("seg.journal_bad_record",
                       "record " + std::to_string(out.records) + " does not fit the segmentation's grid",
                       path);
    ++out.records;
  }
  return out;
}

Result<JournalSummary> SegJournal::peek(const std::string& path) {
  struct stat st {};
  std::vector<uint8_t> file;
  if (::stat(path.c_str(), &st) != 0 || !readFile(path, file))
    return makeError("seg.journal_io", "cannot read the journal", path);
  Reader f{file.data(), file.size()}, h{nullptr, 0};
  auto head = readHeader(f, h, path);
  if (!head.ok()) return head.error();
  JournalSummary out;
  out.dims = head->dims;
  out.studyInstanceUid = head->reference.studyInstanceUid;
  out.seriesInstanceUid = head->reference.seriesInstanceUid;
  out.frameOfReferenceUid = head->reference.frameOfReferenceUid;
  out.segments = std::move(head->segments);
  out.modifiedMs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  while (f.at < f.n) {  // each whole record's prefix: op, sequence, layers, the segment table when changed
    uint32_t len = 0;
    const uint8_t* p = nextRecord(f, len);
    if (!p) {
      out.tornTail = true;
      break;
    }
    Reader r{p, len};
    (void)r.get<uint8_t>(), (void)r.get<uint64_t>(), (void)r.get<uint32_t>();
    if (r.get<uint8_t>() != 0) {
      std::vector<Segment> segs = getSegments(r);
      if (r.ok) out.segments = std::move(segs);
    }
    ++out.records;
  }
  return out;
}

}  // namespace cvx::view

// SPDX-License-Identifier: MIT
// The crash-proof journal of segmentation editing: every edit is appended to a file as it happens,
// so that after a crash (kill -9) the next start rebuilds the segmentation with all of them.
//
// One append-only file per editing session, in a folder the caller gives (the app passes a folder
// under the user's data folder, never the source series' folder). The file holds a header (magic,
// version, dims, geometry, the referenced UIDs, the segments at the start and the layers' content
// run-length encoded), then one record per undo step applied, undone or redone: the after-image of
// every brick it changed (run-length encoded), the layer count and, when they changed, the whole
// segment table (add, remove, rename, recolour). Every record has a length and a CRC-32: a record
// torn by a kill mid-write is detected and dropped, never applied. Each record goes out with one
// write(): data written before a kill -9 is in the kernel's page cache and survives the process;
// surviving a power loss needs fdatasync (JournalOptions::syncEachStep, off by default).
// A live journal holds an flock on its file; pending() skips files another live session holds.
// docs/segmentation.md, "Editing, undo and the journal". Qt-free.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/segmentation.h>

namespace cvx::view {

// Bricks: 16 x 16 x 16 voxels of one layer, brick (bx, by, bz) covering voxels
// [16 bx, min(16 bx + 16, nx)) x ... (edge bricks are smaller). Their bytes are copied x fastest.
constexpr int64_t kBrickEdge = 16;

struct BrickId {
  uint32_t layer = 0;
  uint32_t bx = 0, by = 0, bz = 0;
};

// The voxel box of a brick on a grid of dims d: [lo, hi) per axis.
struct BrickBox {
  int64_t lo[3], hi[3];
  int64_t voxels() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
};
BrickBox brickBox(const std::array<int64_t, 3>& dims, const BrickId& b);
// Copies a brick's voxels out of (or into) a layer of the segmentation's grid.
void readBrick(const Segmentation& seg, const BrickId& b, std::vector<uint8_t>& out);
void writeBrick(Segmentation& seg, const BrickId& b, const uint8_t* bytes);

// Run-length encoding: (run length as an unsigned LEB128 varint >= 1, byte value) pairs.
void rleEncode(const uint8_t* p, size_t n, std::vector<uint8_t>& out);
// Decodes exactly n bytes; false when the runs do not add up to n or the input ends early.
bool rleDecode(const uint8_t* in, size_t inSize, uint8_t* out, size_t n);

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's crc32): crc32("123456789") ==
// 0xCBF43926. Pass a previous result as `crc` to continue.
uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0);

struct JournalOptions {
  // fdatasync after every record (power-loss safety); costs a disk flush per step.
  bool syncEachStep = false;
};

// What recover() rebuilt.
struct RecoveredSegmentation {
  Segmentation seg;
  uint64_t records = 0;              // whole records applied
  std::vector<Diagnostic> warnings;  // seg.journal_torn_tail when a torn tail was dropped
};

// What a journal holds, read without rebuilding its layers (SegJournal::peek): enough to list a
// pending journal (which series, how many segments, when it was last written).
struct JournalSummary {
  std::array<int64_t, 3> dims{};
  std::string studyInstanceUid, seriesInstanceUid, frameOfReferenceUid;
  std::vector<Segment> segments;  // the table after the last whole record (layers not decoded)
  uint64_t records = 0;           // whole records, as recover() would apply them
  bool tornTail = false;          // a torn or corrupt record ends the file (recover() warns)
  int64_t modifiedMs = 0;         // the file's last write, ms since the Unix epoch
};

class SegJournal {
 public:
  enum class Op : uint8_t { Apply = 1, Undo = 2, Redo = 3 };

  // Opens a new journal file in dir (created if missing) and writes the header with seg's
  // current content. Errors: seg.journal_io.
  static Result<std::unique_ptr<SegJournal>> create(const std::string& dir, const Segmentation& seg,
                                                    JournalOptions options = {});
  // Closes the file but leaves it in place: a journal not close()d is a pending one.
  ~SegJournal();
  SegJournal(const SegJournal&) = delete;
  SegJournal& operator=(const SegJournal&) = delete;

  const std::string& path() const { return path_; }
  uint64_t records() const { return records_; }

  // Appends one record: op, the current layer count, the current content of `bricks` (their
  // after-images, read from seg) and, when segmentsChanged, seg's whole segment table.
  // Errors: seg.journal_io (the edit itself stands; the journal is then behind).
  Status appendStep(Op op, const Segmentation& seg, const std::vector<BrickId>& bricks, bool segmentsChanged);
  // A clean end of the session: closes and removes the file. Errors: seg.journal_io.
  Status close();

  // Journals in dir left by sessions that did not close cleanly (not held by a live session),
  // oldest first. Missing dir: empty.
  static std::vector<std::string> pending(const std::string& dir);
  // Rebuilds the segmentation: the header's content, then every whole record in order. Errors:
  // seg.journal_io (cannot open), seg.journal_bad_header (bad magic, a truncated or corrupt
  // header), seg.journal_version (another version); a torn or corrupt record ends the replay with
  // the warning seg.journal_torn_tail; a whole record that does not fit the grid:
  // seg.journal_bad_record.
  static Result<RecoveredSegmentation> recover(const std::string& path);
  // The header (its CRC checked) and every whole record's frame and segment table; no layer or
  // brick is decoded, so a record that does not fit the grid is not detected here. Errors as
  // recover(): seg.journal_io, seg.journal_bad_header, seg.journal_version.
  static Result<JournalSummary> peek(const std::string& path);
  // Removes a journal file (after recovery, or when the user declines it); a missing file is no error.
  // Errors: seg.journal_in_use (a live session holds it: not removed), seg.journal_io.
  static Status discard(const std::string& path);

  // Test hook: the next appendStep writes the first half of its record, then raise(SIGKILL).
  void tearNextRecordForTest() { tearNext_ = true; }

  static constexpr uint32_t kVersion = 1;
  static constexpr const char* kExtension = ".cvxsegj";

 private:
  SegJournal() = default;
  Status writeAll(const uint8_t* p, size_t n);
  int fd_ = -1;
  std::string path_;
  JournalOptions options_;
  uint64_t records_ = 0;
  bool tearNext_ = false;
};

}  // namespace cvx::view

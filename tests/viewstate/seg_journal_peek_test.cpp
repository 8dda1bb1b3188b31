// SPDX-License-Identifier: MIT
// SegJournal::peek: the summary of a journal (its series, segment table, whole records, last write)
// read without decoding its layers, against what the test wrote with create + appendStep, and
// against recover() on the same file; truncated and damaged copies give recover()'s error codes.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <cvx/viewstate/seg_journal.h>

#include "seg_edit_test_util.h"
#include "temp_dir.h"

using namespace cvx;
using namespace cvx::view;

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> namesOf(const std::vector<Segment>& segs) {
  std::vector<std::string> out;
  for (const Segment& s : segs) out.push_back(s.name);
  return out;
}

// Writes a journal: a segmentation with "liver" at the start (the header), then record 0 adds
// "tumour" (the segment table changes) and record 1 paints one voxel of it (the table does not).
// Returns the file's bytes; path is where it lies (left pending: not closed).
std::vector<char> writeJournal(const test::TempDir& dir, std::string& path) {
  Segmentation seg({40, 30, 20}, test::obliqueGeometry({0.7, 0.7, 2.5}, {-10, 5, 30}, 0.1, 0.0, 0.2));
  seg.reference.studyInstanceUid = "1.2.826.0.1.1";
  seg.reference.seriesInstanceUid = "1.2.826.0.1.1.2";
  seg.reference.frameOfReferenceUid = "1.2.826.0.1.1.3";
  seg.reference.sopInstanceUids.assign(20, "1.2.826.0.1.1.4");
  std::vector<uint8_t> mask(static_cast<size_t>(seg.voxelsPerLayer()), 0);
  mask[17] = 1;
  EXPECT_TRUE(seg.addSegment(test::named("liver"), mask.data()).ok());
  auto j = SegJournal::create(dir.path(), seg);
  EXPECT_TRUE(j.ok()) << j.error().str();
  if (!j.ok()) return {};
  mask[17] = 0, mask[40 * 30 * 5 + 40 * 3 + 2] = 1;
  EXPECT_TRUE(seg.addSegment(test::named("tumour"), mask.data()).ok());
  const Segment& tumour = seg.segments()[1];
  EXPECT_TRUE((*j)->appendStep(SegJournal::Op::Apply, seg, {{tumour.layer, 0, 0, 0}}, true).ok());
  seg.layers()[tumour.layer]->as<uint8_t>()[40 * 30 * 19 + 40 * 29 + 39] = tumour.label;  // brick (2, 1, 1)
  EXPECT_TRUE((*j)->appendStep(SegJournal::Op::Apply, seg, {{tumour.layer, 2, 1, 1}}, false).ok());
  path = (*j)->path();
  j->reset();  // as in a crash: the file stays
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string writeCopy(const test::TempDir& dir, const std::string& name, const std::vector<char>& b) {
  const std::string p = dir.file(name);
  std::ofstream(p, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));
  return p;
}

}  // namespace

TEST(SegJournalPeek, SummarizesTheHeaderAndEveryWholeRecordAsRecoverReadsThem) {
  test::TempDir dir("cvx_segj_peek");
  const int64_t before = nowMs();
  std::string path;
  const std::vector<char> bytes = writeJournal(dir, path);
  ASSERT_FALSE(bytes.empty());
  const int64_t after = nowMs();

  auto s = SegJournal::peek(path);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_EQ(s->dims, (std::array<int64_t, 3>{40, 30, 20}));
  EXPECT_EQ(s->studyInstanceUid, "1.2.826.0.1.1");
  EXPECT_EQ(s->seriesInstanceUid, "1.2.826.0.1.1.2");
  EXPECT_EQ(s->frameOfReferenceUid, "1.2.826.0.1.1.3");
  EXPECT_EQ(namesOf(s->segments), (std::vector<std::string>{"liver", "tumour"}))
      << "record 0's table, not the header's";
  EXPECT_EQ(s->records, 2u);
  EXPECT_FALSE(s->tornTail);
  // The file's mtime: written between the two clock readings (file systems keep at least 1 s).
  EXPECT_GE(s->modifiedMs, before - 1000);
  EXPECT_LE(s->modifiedMs, after + 1000);

  auto r = SegJournal::recover(path);  // peek agrees with what recovery rebuilds
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ(r->records, s->records);
  EXPECT_EQ(namesOf(r->seg.segments()), namesOf(s->segments));
  EXPECT_EQ(r->seg.reference.seriesInstanceUid, s->seriesInstanceUid);
}

TEST(SegJournalPeek, TruncatedAndDamagedCopiesGiveRecoversCodes) {
  test::TempDir dir("cvx_segj_peek");
  std::string path;
  const std::vector<char> bytes = writeJournal(dir, path);
  ASSERT_GT(bytes.size(), 200u);

  // Cut inside the last record: the first one counts, the tail is torn.
  auto cut = SegJournal::peek(writeCopy(dir, "cut.cvxsegj", {bytes.begin(), bytes.end() - 5}));
  ASSERT_TRUE(cut.ok()) << cut.error().str();
  EXPECT_EQ(cut->records, 1u);
  EXPECT_TRUE(cut->tornTail);
  EXPECT_EQ(namesOf(cut->segments), (std::vector<std::string>{"liver", "tumour"}));
  auto rec = SegJournal::recover(dir.file("cut.cvxsegj"));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->records, cut->records);

  // Only the header and 6 bytes of record 0: no whole record, the header's table.
  const uint32_t hlen = *reinterpret_cast<const uint32_t*>(bytes.data() + 12);
  const size_t headerEnd = 20 + hlen;
  auto head = SegJournal::peek(writeCopy(dir, "head.cvxsegj", {bytes.begin(), bytes.begin() + headerEnd + 6}));
  ASSERT_TRUE(head.ok()) << head.error().str();
  EXPECT_EQ(head->records, 0u);
  EXPECT_TRUE(head->tornTail);
  EXPECT_EQ(namesOf(head->segments), std::vector<std::string>{"liver"});

  // The header cut short, at several points, and damage: errors, never an empty summary.
  for (size_t n : {size_t{0}, size_t{6}, size_t{10}, size_t{19}, size_t{40}, headerEnd - 1}) {
    auto t = SegJournal::peek(writeCopy(dir, "t.cvxsegj", {bytes.begin(), bytes.begin() + static_cast<long>(n)}));
    ASSERT_FALSE(t.ok()) << n << " bytes";
    EXPECT_EQ(t.error().code, "seg.journal_bad_header") << n << " bytes";
  }
  std::vector<char> magic = bytes;
  magic[0] = 'X';
  EXPECT_EQ(SegJournal::peek(writeCopy(dir, "m.cvxsegj", magic)).error().code, "seg.journal_bad_header");
  std::vector<char> crc = bytes;
  crc[30] ^= 1;  // inside the header: its CRC-32 fails
  EXPECT_EQ(SegJournal::peek(writeCopy(dir, "c.cvxsegj", crc)).error().code, "seg.journal_bad_header");
  std::vector<char> version = bytes;
  version[8] = 9;
  EXPECT_EQ(SegJournal::peek(writeCopy(dir, "v.cvxsegj", version)).error().code, "seg.journal_version");
  EXPECT_EQ(SegJournal::peek(dir.file("missing.cvxsegj")).error().code, "seg.journal_io");
}

// SPDX-License-Identifier: MIT
// Directory records outside a DICOMDIR never reach DCMTK (io/src/dicom/dcm_records.h): DCMTK 3.6.7
// throws std::out_of_range and leaks its DcmDirectoryRecord objects on a corrupt one (LeakSanitizer
// on fuzz_read_header). The expected behaviour is the code of a DICOMDIR, dicom.dicomdir.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <vector>

#include <cvx/io/dicom.h>

#include "dicom/dcm_records.h"
#include "format_test_util.h"

namespace cvx {
namespace {

// (0004,1220) (SQ when explicit), undefined length, then an item or, for an empty sequence, the
// sequence delimiter.
std::vector<uint8_t> recordSequence(bool explicitVr, bool bigEndian, bool withItem) {
  std::vector<uint8_t> b;
  auto put = [&](std::initializer_list<uint8_t> x) { b.insert(b.end(), x); };
  bigEndian ? put({0x00, 0x04, 0x12, 0x20}) : put({0x04, 0x00, 0x20, 0x12});
  if (explicitVr) put({'S', 'Q', 0, 0});
  put({0xFF, 0xFF, 0xFF, 0xFF});
  if (withItem) bigEndian ? put({0xFF, 0xFE, 0xE0, 0x00}) : put({0xFE, 0xFF, 0x00, 0xE0});
  else bigEndian ? put({0xFF, 0xFE, 0xE0, 0xDD}) : put({0xFE, 0xFF, 0xDD, 0xE0});  // empty: a delimiter
  put({0, 0, 0, 0});
  return b;
}

TEST(DirectoryRecords, FoundInEveryEncodingAnywhereInTheBytes) {
  for (bool explicitVr : {false, true})
    for (bool bigEndian : {false, true}) {
      auto b = recordSequence(explicitVr, bigEndian, true);
      std::vector<uint8_t> padded(1000, 0x55);
      padded.insert(padded.begin() + 517, b.begin(), b.end());
      EXPECT_TRUE(io::detail::holdsDirectoryRecords(padded.data(), padded.size()))
          << "explicit " << explicitVr << " big endian " << bigEndian;
      // An empty sequence (no item) makes no record; a tag cut off before its item is not one.
      auto empty = recordSequence(explicitVr, bigEndian, false);
      EXPECT_FALSE(io::detail::holdsDirectoryRecords(empty.data(), empty.size()));
      EXPECT_FALSE(io::detail::holdsDirectoryRecords(b.data(), b.size() - 6));
    }
}

TEST(DirectoryRecords, FoundAcrossTheFileReadersChunkBoundary) {
  // The reader works in 4 MiB chunks: a sequence that straddles one is still found.
  test::TempDir tmp;
  const auto seq = recordSequence(true, false, true);
  for (size_t at : {(size_t{4} << 20) - 7, (size_t{4} << 20) - 1, size_t{4} << 20}) {
    std::vector<uint8_t> b((size_t{4} << 20) + 64, 0x11);
    std::memcpy(b.data() + at, seq.data(), seq.size());
    test::writeBytes(tmp.file("big.bin"), b);
    const auto s = io::detail::checkNoDirectoryRecords(tmp.file("big.bin"));
    ASSERT_FALSE(s.ok()) << "at " << at;
    EXPECT_EQ(s.error().code, "dicom.dicomdir");
  }
  std::vector<uint8_t> clean((size_t{4} << 20) + 64, 0x11);
  test::writeBytes(tmp.file("clean.bin"), clean);
  EXPECT_TRUE(io::detail::checkNoDirectoryRecords(tmp.file("clean.bin")).ok());
}

// Raw deflate (RFC 1951), as the Deflated Explicit VR Little Endian transfer syntax stores a data set.
std::vector<uint8_t> rawDeflate(const std::vector<uint8_t>& in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&z, in.size()) + 16);
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

TEST(DirectoryRecords, FoundInADeflatedDataSet) {
  // Preamble, DICM, a meta header that declares Deflated Explicit VR Little Endian, then the data
  // set deflated: the record sequence is visible only once inflated (as DCMTK reads it).
  std::vector<uint8_t> file(128, 0);
  const char* ts = "1.2.840.10008.1.2.1.99";  // 22 characters: even, no padding
  auto put = [&](std::initializer_list<uint8_t> x) { file.insert(file.end(), x); };
  put({'D', 'I', 'C', 'M', 0x02, 0x00, 0x10, 0x00, 'U', 'I', 22, 0});
  file.insert(file.end(), ts, ts + 22);
  std::vector<uint8_t> body(300, 0x20);
  const auto seq = recordSequence(true, false, true);
  body.insert(body.begin() + 100, seq.begin(), seq.end());
  const auto z = rawDeflate(body);
  ASSERT_FALSE(io::detail::holdsDirectoryRecords(z.data(), z.size()));  // hidden while deflated
  test::TempDir tmp;
  auto withBody = file;
  withBody.insert(withBody.end(), z.begin(), z.end());
  test::writeBytes(tmp.file("deflated.dcm"), withBody);
  const auto s = io::detail::checkNoDirectoryRecords(tmp.file("deflated.dcm"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "dicom.dicomdir");
  // Records at the end of 1 MiB that deflates ~1000:1 (the check's buffer has to grow to see them).
  std::vector<uint8_t> longBody(size_t{1} << 20, 0x20);
  longBody.insert(longBody.end(), seq.begin(), seq.end());
  const auto lz = rawDeflate(longBody);
  ASSERT_LT(lz.size(), size_t{4096});
  auto longFile = file;
  longFile.insert(longFile.end(), lz.begin(), lz.end());
  test::writeBytes(tmp.file("long.dcm"), longFile);
  const auto ls = io::detail::checkNoDirectoryRecords(tmp.file("long.dcm"));
  ASSERT_FALSE(ls.ok());
  EXPECT_EQ(ls.error().code, "dicom.dicomdir");
  // The same without the records, and the two real deflated SEGs of the seed corpus, pass.
  const auto clean = rawDeflate(std::vector<uint8_t>(300, 0x20));
  file.insert(file.end(), clean.begin(), clean.end());
  test::writeBytes(tmp.file("clean.dcm"), file);
  EXPECT_TRUE(io::detail::checkNoDirectoryRecords(tmp.file("clean.dcm")).ok());
  for (const char* name : {"deflate_liver_deflate.dcm", "deflate_liver_nonbyte_aligned_deflate.dcm"})
    EXPECT_TRUE(io::detail::checkNoDirectoryRecords(std::string(CVX_SOURCE_DIR) + "/fuzz/corpus/dicom/" + name).ok())
        << name;
}

// The fuzzer's find, and the uncorrupted DICOMDIR it came from with only its meta class changed:
// both are declined by readHeader before DCMTK parses them (the decoder has the same gate).
TEST(DirectoryRecords, FilesWithRecordsButNoDicomdirMetaAreDeclined) {
  for (const char* name : {"directory_records_without_dicomdir_meta", "directory_records_meta_class_not_dicomdir"}) {
    const std::string path = std::string(CVX_SOURCE_DIR) + "/fuzz/regressions/read_header/" + name;
    auto h = io::readHeader(path);
    ASSERT_FALSE(h.ok()) << name;
    EXPECT_EQ(h.error().code, "dicom.dicomdir") << name << ": " << h.error().message;
  }
}

}  // namespace
}  // namespace cvx

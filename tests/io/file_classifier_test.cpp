// SPDX-License-Identifier: MIT
// Spec: the scan (readHeader) and the decoder (openFile) classify a broken file the same way:
// for every file that both refuse, both give the same code (classify.h is the one classifier).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>

#include "decode/internal.h"
#include "format_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace cvx;

std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// How many files both refused; every disagreement is reported with its file.
int expectSameCodes(const std::vector<std::string>& files) {
  int bothFailed = 0;
  for (const std::string& path : files) {
    const auto scan = io::readHeader(path);
    io::detail::DecodeFile f;
    const Status open = io::detail::openFile(path, f);
    if (scan.ok() || open.ok()) continue;
    ++bothFailed;
    EXPECT_EQ(scan.error().code, open.error().code) << path << "\n scan:    " << scan.error().str()
                                                    << "\n decoder: " << open.error().str();
  }
  return bothFailed;
}

TEST(FileClassifier, ScanAndDecoderGiveTheSameCodeForEveryFuzzSeedBothRefuse) {
  const auto files = filesIn(std::string(CVX_SOURCE_DIR) + "/fuzz/corpus/dicom");
  ASSERT_GE(files.size(), 10u);
  EXPECT_GE(expectSameCodes(files), 1);
}

TEST(FileClassifier, ScanAndDecoderGiveTheSameCodeForEveryMalformedFileBothRefuse) {
  std::string dir;
  if (!test::dataDirPresent(dir)) GTEST_SKIP() << "no ../shared/data";
  const auto files = filesIn(dir + "/malformed");
  ASSERT_GE(files.size(), 10u);
  EXPECT_GE(expectSameCodes(files), 1);
}

// 64 zero bytes: the file ends inside the 128-byte preamble (docs/errors.md: dicom.truncated).
// The decoder used to call it dicom.not_dicom.
TEST(FileClassifier, AFileThatEndsInsideThePreambleIsTruncatedForScanAndDecoder) {
  const std::string path = std::string(CVX_SOURCE_DIR) + "/fuzz/corpus/dicom/trunc_in_preamble_64.dcm";
  ASSERT_EQ(fs::file_size(path), 64u);
  const auto scan = io::readHeader(path);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.error().code, "dicom.truncated");
  io::detail::DecodeFile f;
  const Status open = io::detail::openFile(path, f);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code, "dicom.truncated");
}

}  // namespace

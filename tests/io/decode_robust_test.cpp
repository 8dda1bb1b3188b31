// SPDX-License-Identifier: MIT
// decodeFrames under stress: concurrent calls on different files must give the sequential result,
// and compressed files with damaged or missing codestream bytes must fail with a code (or decode),
// never crash or hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "decode_synth_util.h"

namespace cvx::test::dec {
namespace {

const char* kFiles[] = {"explicit_le.dcm", "implicit_le.dcm", "big_endian.dcm", "deflate.dcm",
                        "rle.dcm", "jpeg_lossless_sv1.dcm", "jpegls_lossless.dcm", "j2k_lossless.dcm",
                        "jpeg_baseline.dcm", "jpeg_extended.dcm"};

std::string matrix(const char* name) { return dataPath(std::string("transfer_syntax_matrix/") + name); }

TEST(DecodeRobust, ConcurrentCallsMatchSequential) {
  CVX_REQUIRE_FOLDER("transfer_syntax_matrix");
  std::vector<std::vector<std::byte>> sequential;
  for (const char* f : kFiles) {
    auto r = decodeAll(matrix(f));
    ASSERT_TRUE(r.ok()) << r.error().str();
    sequential.push_back(*r);
  }
  constexpr int kThreads = 4, kRounds = 3;
  std::vector<std::vector<int>> mismatches(kThreads);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round)
        for (size_t i = 0; i < std::size(kFiles); ++i) {
          const size_t k = (i + static_cast<size_t>(t)) % std::size(kFiles);  // threads on different files
          auto r = decodeAll(matrix(kFiles[k]));
          if (!r.ok() || *r != sequential[k]) mismatches[static_cast<size_t>(t)].push_back(static_cast<int>(k));
        }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(mismatches[static_cast<size_t>(t)].empty()) << "thread " << t;
}

std::vector<char> readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), {});
}

void writeAll(const std::string& path, const std::vector<char>& bytes, size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(count));
}

// Compressed syntaxes (each decoder, and DCMTK's codecs behind them).
const char* kCompressed[] = {"rle.dcm", "jpeg_lossless_sv1.dcm", "jpegls_lossless.dcm", "j2k_lossless.dcm",
                             "jpeg_baseline.dcm", "jpeg_extended.dcm"};

TEST(DecodeRobust, TruncatedCodestreamsFailWithCode) {
  CVX_REQUIRE_FOLDER("transfer_syntax_matrix");
  TempDir tmp;
  for (const char* name : kCompressed) {
    FileFormat f = formatFromDcmtk(matrix(name));
    const std::vector<char> bytes = readAll(matrix(name));
    for (double keep : {0.5, 0.9, 0.999}) {
      const std::string path = tmp.file("cut.dcm");
      writeAll(path, bytes, static_cast<size_t>(static_cast<double>(bytes.size()) * keep));
      auto r = decodeFile(path, f.pf, {0});
      ASSERT_FALSE(r.ok()) << name << " cut to " << keep << " decoded";
      EXPECT_TRUE(r.error().code == "dicom.truncated" || r.error().code == "dicom.decode_failed")
          << name << ": " << r.error().str();
    }
  }
}

TEST(DecodeRobust, GarbageInCodestreamsNeverCrashes) {
  CVX_REQUIRE_FOLDER("transfer_syntax_matrix");
  CVX_REQUIRE_FOLDER("deflate");
  CVX_REQUIRE_FOLDER("htj2k");
  TempDir tmp;
  std::vector<std::string> files;
  for (const char* name : kCompressed) files.push_back(matrix(name));
  files.push_back(dataPath("deflate/liver_deflate.dcm"));
  files.push_back(dataPath("htj2k/HTJ2KLossless_08_RGB.dcm"));
  std::mt19937 rng(20240607);
  int failures = 0, decoded = 0;
  for (const std::string& src : files) {
    FileFormat f = formatFromDcmtk(src);
    const std::vector<char> orig = readAll(src);
    for (int trial = 0; trial < 6; ++trial) {
      std::vector<char> bytes = orig;
      // Overwrite a run in the last half of the file (the pixel data), away from the header.
      const size_t at = orig.size() / 2 + rng() % (orig.size() / 2 - 64);
      for (size_t i = 0; i < 48; ++i) bytes[at + i] = static_cast<char>(rng());
      const std::string path = tmp.file("garbage.dcm");
      writeAll(path, bytes, bytes.size());
      std::vector<uint32_t> frames;
      for (uint32_t k = 0; k < f.frames; ++k) frames.push_back(k);
      auto r = decodeFile(path, f.pf, frames);
      if (r.ok()) {
        ++decoded;
      } else {
        ++failures;
        // The header and the file's length are intact: only the codestream can be wrong.
        const std::string& code = r.error().code;
        EXPECT_TRUE(code == "dicom.decode_failed" || code == "dicom.pixel_mismatch") << r.error().str();
      }
    }
  }
  EXPECT_EQ(failures + decoded, 48);  // every call returned
}

}  // namespace
}  // namespace cvx::test::dec

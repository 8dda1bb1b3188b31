// SPDX-License-Identifier: MIT
// Builds the benchmarks' input series: DCMTK's dcmdjpeg decompresses ct/ (no DCMTK headers here), and
// the copies are written by a small rewriter of Explicit VR Little Endian files (dcmodify, one process
// a file, took about an hour for 12,000 slices on 2 busy cores).
#include "bench_series.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include <cvx/io/dicom.h>

namespace fs = std::filesystem;

namespace cvx::bench {
namespace {

std::string readStamp(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

size_t countFiles(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) ++n;
  return n;
}

// Runs job(i) for i in [0, n) on `threads` threads; false if any job failed.
bool runJobs(size_t n, unsigned threads, const std::function<bool(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, threads); ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n && ok; i = next++)
        if (!job(i)) ok = false;
    });
  for (auto& t : pool) t.join();
  return ok;
}

bool run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

std::string quote(const std::string& s) { return "'" + s + "'"; }


// ---- a copy of a slice with new values for a few top-level elements ----------------------------
// The file must be Explicit VR Little Endian (what dcmdjpeg writes). Elements are copied byte for
// byte, except that the values of `set` (tag -> value, tags ascending, all before Pixel Data) replace
// theirs or are inserted in tag order, and the meta group's MediaStorageSOPInstanceUID and group
// length follow the new SOPInstanceUID.

using Bytes = std::vector<unsigned char>;

uint32_t u16(const Bytes& b, size_t p) { return uint32_t(b[p]) | uint32_t(b[p + 1]) << 8; }
uint32_t u32(const Bytes& b, size_t p) { return u16(b, p) | u16(b, p + 2) << 16; }
bool longVr(const unsigned char* vr) {
  static const char* kLong[] = {"OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV", "SV", "UV"};
  for (const char* l : kLong)
    if (vr[0] == l[0] && vr[1] == l[1]) return true;
  return false;
}

// Skips an undefined-length value (a sequence or its item) from p; false if the file ends first.
bool skipUndefined(const Bytes& b, size_t& p, uint32_t endTag) {
  while (p + 8 <= b.size()) {
    const uint32_t tag = u16(b, p) << 16 | u16(b, p + 2);
    if (tag == endTag) return p += 8, true;
    if (tag == 0xFFFEE000u) {  // an item
      const uint32_t len = u32(b, p + 4);
      p += 8;
      if (len == 0xFFFFFFFFu) {
        if (!skipUndefined(b, p, 0xFFFEE00Du)) return false;
      } else {
        p += len;
      }
      continue;
    }
    // An element inside an item (explicit VR).
    const bool lv = longVr(&b[p + 4]);
    const uint32_t len = lv ? u32(b, p + 8) : u16(b, p + 6);
    p += lv ? 12 : 8;
    if (len == 0xFFFFFFFFu) {
      if (!skipUndefined(b, p, 0xFFFEE0DDu)) return false;
    } else {
      p += len;
    }
  }
  return false;
}

void putElement(Bytes& out, uint32_t tag, const char* vr, std::string value, char pad) {
  if (value.size() % 2) value += pad;
  const unsigned char h[8] = {uint8_t(tag >> 16), uint8_t(tag >> 24), uint8_t(tag), uint8_t(tag >> 8),
                              uint8_t(vr[0]), uint8_t(vr[1]), uint8_t(value.size()), uint8_t(value.size() >> 8)};
  out.insert(out.end(), h, h + 8);
  out.insert(out.end(), value.begin(), value.end());
}

bool rewriteSlice(const std::string& src, const std::string& dst, const std::vector<std::pair<uint32_t, std::string>>& set,
                  const std::string& sopUid) {
  std::ifstream in(src, std::ios::binary);
  Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (b.size() < 144 || std::memcmp(&b[128], "DICM", 4) != 0) return false;
  Bytes meta;
  size_t p = 132;
  bool explicitLe = false;
  while (p + 8 <= b.size() && u16(b, p) == 0x0002) {
    const uint32_t tag = u16(b, p) << 16 | u16(b, p + 2);
    const bool lv = longVr(&b[p + 4]);
    const size_t head = lv ? 12 : 8, len = lv ? u32(b, p + 8) : u16(b, p + 6);
    if (p + head + len > b.size()) return false;
    if (tag == 0x00020010u) explicitLe = std::string(b.begin() + long(p + head), b.begin() + long(p + head + len)).rfind("1.2.840.10008.1.2.1", 0) == 0 && (len == 19 || len == 20);
    if (tag == 0x00020003u) putElement(meta, tag, "UI", sopUid, '\0');
    else if (tag != 0x00020000u) meta.insert(meta.end(), b.begin() + long(p), b.begin() + long(p + head + len));
    p += head + len;
  }
  if (!explicitLe) return false;
  Bytes out(b.begin(), b.begin() + 132);
  putElement(out, 0x00020000u, "UL", std::string(4, '\0'), ' ');
  const uint32_t metaLen = uint32_t(meta.size());
  std::memcpy(&out[out.size() - 4], &metaLen, 4);  // little-endian host (x86-64, arm64)
  out.insert(out.end(), meta.begin(), meta.end());
  size_t next = 0;  // the next element of `set` to write
  while (p + 8 <= b.size() && next < set.size()) {
    const uint32_t tag = u16(b, p) << 16 | u16(b, p + 2);
    for (; next < set.size() && set[next].first < tag; ++next)
      putElement(out, set[next].first, set[next].first == 0x00080018u ? "UI" : (set[next].first == 0x00200013u ? "IS" : "DS"),
                 set[next].second, set[next].first == 0x00080018u ? '\0' : ' ');
    if (next >= set.size()) break;
    const bool lv = longVr(&b[p + 4]);
    const size_t start = p, head = lv ? 12 : 8;
    const uint32_t len = lv ? u32(b, p + 8) : u16(b, p + 6);
    p += head;
    if (len == 0xFFFFFFFFu) {
      if (!skipUndefined(b, p, 0xFFFEE0DDu)) return false;
    } else {
      p += len;
    }
    if (p > b.size()) return false;
    if (tag == set[next].first) {
      putElement(out, tag, std::string(reinterpret_cast<const char*>(&b[start + 4]), 2).c_str(), set[next].second,
                 tag == 0x00080018u ? '\0' : ' ');
      ++next;
    } else {
      out.insert(out.end(), b.begin() + long(start), b.begin() + long(p));
    }
  }
  out.insert(out.end(), b.begin() + long(std::min(p, b.size())), b.end());
  std::ofstream(dst, std::ios::binary).write(reinterpret_cast<const char*>(out.data()), std::streamsize(out.size()));
  return true;
}

}  // namespace

std::string benchRoot() {
  const char* e = std::getenv("CVX_BENCH_DIR");
  return e && *e ? e : "/tmp/cvx_bench";
}

Result<std::string> decompressedSeries(const std::string& source, const std::string& root, unsigned threads) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source))
    if (e.is_regular_file() && e.path().extension() == ".dcm") files.push_back(e.path());
  const std::string out = root + "/ct_raw", stamp = out + ".stamp";
  const std::string want = "dcmdjpeg v1 " + std::to_string(files.size());
  if (readStamp(stamp) == want && countFiles(out) == files.size()) return out;
  std::printf("building %s (dcmdjpeg of %zu files)...\n", out.c_str(), files.size());
  fs::remove_all(out);
  fs::create_directories(out);
  const bool ok = runJobs(files.size(), threads, [&](size_t i) {
    return run("dcmdjpeg " + quote(files[i].string()) + " " + quote(out + "/" + files[i].filename().string()));
  });
  if (!ok) return makeError("bench.build_failed", "dcmdjpeg failed (is Debian's dcmtk installed?)", out);
  std::ofstream(stamp) << want << "\n";
  return out;
}

Result<std::string> replicatedSeries(const std::string& raw, int count, const std::string& root,
                                     unsigned threads) {
  const std::string out = root + "/ct" + std::to_string(count), stamp = out + ".stamp";
  const std::string want = "rewrite v2 " + std::to_string(count) + " from " + std::to_string(countFiles(raw));
  if (readStamp(stamp) == want && countFiles(out) == size_t(count)) return out;
  auto scan = io::scan(raw);
  if (!scan.ok()) return scan.error();
  const io::GroupResult groups = io::planSeries(*scan);
  if (groups.series.size() != 1) return makeError("bench.build_failed", "expected one series", raw);
  const io::SeriesPlan& plan = groups.series.front();
  const Geometry& g = plan.geometry;
  const int64_t nz = plan.dims[2];
  std::printf("building %s (%d slices from %lld, %.3f mm apart)...\n", out.c_str(), count,
              static_cast<long long>(nz), g.spacingMm.z);
  std::fflush(stdout);
  fs::remove_all(out);
  fs::create_directories(out);
  const bool ok = runJobs(size_t(count), threads, [&](size_t i) {
    const std::string& src = scan->files[plan.slices[i % size_t(nz)].file].path;
    char name[32];
    std::snprintf(name, sizeof name, "/IM%05zu.dcm", i + 1);
    const Vec3 p = g.worldAt(0, 0, double(i));
    char ipp[160], loc[64], uid[64];
    std::snprintf(ipp, sizeof ipp, "%.6f\\%.6f\\%.6f", p.x, p.y, p.z);
    const Vec3 nrm = g.direction[2];
    std::snprintf(loc, sizeof loc, "%.6f", p.x * nrm.x + p.y * nrm.y + p.z * nrm.z);
    // A 2.25 (UUID-derived) UID: a fixed 20-digit number for this builder, then the slice number.
    std::snprintf(uid, sizeof uid, "2.25.27182818284590452353%06zu", i + 1);
    return rewriteSlice(src, out + name,
                        {{0x00080018u, uid}, {0x00200013u, std::to_string(i + 1)}, {0x00200032u, ipp}, {0x00201041u, loc}},
                        uid);
  });
  if (!ok) return makeError("bench.build_failed", "a slice could not be rewritten (not Explicit VR Little Endian?)", out);
  std::ofstream(stamp) << want << "\n";
  return out;
}

Result<std::shared_ptr<Volume>> loadReplicatedCt(const std::string& ct, int count, unsigned threads) {
  const std::string root = benchRoot();
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  auto raw = decompressedSeries(ct, root, threads);
  if (!raw.ok()) return raw.error();
  auto series = replicatedSeries(*raw, count, root, threads);
  if (!series.ok()) return series.error();
  return io::loadPath(*series);
}

}  // namespace cvx::bench

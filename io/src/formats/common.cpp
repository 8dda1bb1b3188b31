// SPDX-License-Identifier: MIT
// File reading, zlib streams and atomic writes shared by the image-format readers and writers.
#include <algorithm>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include "codec/inflate.h"
#include "formats/internal.h"

namespace cvx::io::fmt {

Result<Bytes> readWholeFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return makeError("io.open_failed", "cannot open file: " + ec.message(), path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError("io.open_failed", std::strerror(errno), path);
  Bytes out(static_cast<size_t>(size));
  const size_t got = out.empty() ? 0 : std::fread(out.data(), 1, out.size(), f);
  std::fclose(f);
  if (got != out.size()) return makeError("io.read_failed", "short read", path);
  return out;
}

Result<Bytes> readFilePart(const std::string& path, uint64_t offset, uint64_t length) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return makeError("io.open_failed", "cannot open file: " + ec.message(), path);
  if (offset > size || length > size - offset)
    return makeError("format.truncated", "file holds " + std::to_string(size) + " bytes, " +
                                             std::to_string(offset) + " + " + std::to_string(length) +
                                             " are needed", path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError("io.open_failed", std::strerror(errno), path);
  Bytes out(static_cast<size_t>(length));
  const bool ok = ::fseeko(f, static_cast<off_t>(offset), SEEK_SET) == 0 &&
                  (out.empty() || std::fread(out.data(), 1, out.size(), f) == out.size());
  std::fclose(f);
  if (!ok) return makeError("io.read_failed", "short read", path);
  return out;
}

Result<int64_t> parseByteSkip(const std::string& text, const std::string& what, const std::string& path) {
  if (text.empty()) return int64_t{0};
  std::vector<int64_t> v;
  if (!parseInt64s(text, v) || v.size() != 1 || v[0] < -1)
    return makeError("format.bad_header", what + " malformed: '" + text + "'", path);
  return v[0];
}

Status readDetached(const std::string& path, int64_t skip, uint64_t need, bool compressed, DataSpan& out) {
  Result<Bytes> d = Bytes{};
  if (compressed) {
    d = readWholeFile(path);
  } else {
    uint64_t off = static_cast<uint64_t>(skip);
    if (skip == -1) {
      std::error_code ec;
      const uint64_t size = std::filesystem::file_size(path, ec);
      if (ec) return makeError("io.open_failed", "cannot open data file: " + ec.message(), path);
      off = size >= need ? size - need : 0;
    }
    d = readFilePart(path, off, need);
  }
  if (!d) return d.error();
  out.detached = std::move(*d);
  out.p = out.detached.data();
  out.n = out.detached.size();
  return {};
}

namespace {
// All expected bytes are out: run the stream to its end so that the trailer (CRC, length) is
// checked. Extra data past the expected size is ignored, as other readers do.
codec::Inflater::Step finishStream(codec::Inflater& inf, const std::byte* src, size_t n, size_t inPos) {
  uint8_t scratch[256];
  auto step = codec::Inflater::Step::More;
  for (int guard = 0; guard < (1 << 20) && step == codec::Inflater::Step::More; ++guard) {
    size_t inUsed = 0, outUsed = 0;
    step = inf.run(reinterpret_cast<const uint8_t*>(src) + inPos, n - inPos, scratch, sizeof scratch, inUsed, outUsed);
    inPos += inUsed;
  }
  return step;
}
}  // namespace

Result<Bytes> inflateExact(const std::byte* src, size_t n, uint64_t expected, const std::string& ctx,
                           bool allowShort) {
  using Step = codec::Inflater::Step;
  if (expected > std::numeric_limits<size_t>::max() ||
      expected / kMaxInflateRatio > static_cast<uint64_t>(n) + 1024)
    return makeError("format.truncated", "compressed data too small for the declared size", ctx);
  // The output grows with what the stream really holds (not with what the header claims), so a
  // header that lies about a short stream fails after decoding the stream, not after allocating.
  Bytes out(static_cast<size_t>(std::min<uint64_t>(expected, std::max<uint64_t>(uint64_t{4} * n, 1u << 20))));
  codec::Inflater inf(codec::Inflater::Wrap::GzipOrZlib);  // the one inflater (codec/inflate.h)
  const auto* in = reinterpret_cast<const uint8_t*>(src);
  size_t inPos = 0, outPos = 0;
  Step step = Step::More;
  while (outPos < expected) {
    if (outPos == out.size()) out.resize(static_cast<size_t>(std::min<uint64_t>(expected, uint64_t{2} * out.size())));
    size_t inUsed = 0, outUsed = 0;
    step = inf.run(in + inPos, n - inPos, reinterpret_cast<uint8_t*>(out.data()) + outPos, out.size() - outPos, inUsed,
                   outUsed);
    inPos += inUsed;
    outPos += outUsed;
    if (step == Step::End) {
      if (inPos >= n) break;
      inf.reset();  // a concatenated gzip member follows
      continue;
    }
    if (step != Step::More) break;
  }
  if (step == Step::More && outPos == expected && !allowShort) step = finishStream(inf, src, n, inPos);
  if (step != Step::End && outPos == expected && !allowShort)  // also a bad CRC
    return makeError("format.truncated", "compressed stream ends without its trailer (CRC)", ctx);
  if (step == Step::Corrupt)
    return makeError("format.bad_data", "corrupt compressed data: " + inf.message(), ctx);
  if (outPos < expected && allowShort) {
    out.resize(outPos);
    return out;
  }
  if (outPos < expected)
    return makeError("format.truncated", "compressed data ends before " + std::to_string(expected) +
                                             " bytes (" + std::to_string(outPos) + " decoded)", ctx);
  return out;
}

Result<Bytes> deflateAll(const std::byte* src, size_t n, bool withGzipHeader) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, withGzipHeader ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return makeError("io.write_failed", "zlib init failed");
  Bytes out(deflateBound(&zs, static_cast<uLong>(std::min<size_t>(n, 1u << 30))) + 64);
  size_t inPos = 0, outPos = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (out.size() - outPos < 65536) out.resize(out.size() + out.size() / 2 + 65536);
    const size_t inChunk = std::min<size_t>(n - inPos, 1u << 30);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(src + inPos));
    zs.avail_in = static_cast<uInt>(inChunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + outPos);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - outPos, 1u << 30));
    const size_t outAvail = zs.avail_out;
    rc = deflate(&zs, inPos + inChunk >= n ? Z_FINISH : Z_NO_FLUSH);
    inPos += inChunk - zs.avail_in;
    outPos += outAvail - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&zs);
      return makeError("io.write_failed", "zlib deflate failed");
    }
  }
  deflateEnd(&zs);
  out.resize(outPos);
  return out;
}

Status writeFileAtomic(const std::string& path, std::span<const std::byte> head,
                       std::span<const std::byte> body) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return makeError("io.write_failed", std::strerror(errno), path);
  bool ok = (head.empty() || std::fwrite(head.data(), 1, head.size(), f) == head.size()) &&
            (body.empty() || std::fwrite(body.data(), 1, body.size(), f) == body.size());
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return makeError("io.write_failed", why, path);
  }
  return {};
}

}  // namespace cvx::io::fmt

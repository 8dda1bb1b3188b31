// Header values that size an allocation or a loop (Rows, Columns, SamplesPerPixel, BitsAllocated,
// NumberOfFrames, fragments) checked against the bytes the file holds, before anything is
// allocated: a header that lies fails here, in microseconds, with a coded error.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/dcm_util.h"
#include "dicom/frame_size.h"

namespace cvx::io::dcm {
namespace {

// Every frame starts a fragment of its own (PS3.5 A.4): at least as many fragments as frames.
Status fewerFragments(uint32_t frames, uint64_t fragments, const std::string& path) {
  if (fragments >= frames) return {};
  return makeError("dicom.bad_fragments",
                   "NumberOfFrames " + std::to_string(frames) + " but the encapsulated Pixel Data holds " +
                       std::to_string(fragments) + " fragment(s) (each frame needs at least one)",
                   path);
}

// Columns and rows a codestream states in its first bytes: a JPEG frame header (SOF0-15 except
// DHT/JPG/DAC, and JPEG-LS SOF55) or a JPEG 2000 SIZ segment (Xsiz - XOsiz, Ysiz - YOsiz). False
// when the bytes hold neither (RLE, deflate, or a header beyond them).
bool codestreamSize(const uint8_t* p, size_t n, uint64_t& cols, uint64_t& rows) {
  auto be16 = [&](size_t at) { return static_cast<uint32_t>(p[at] << 8 | p[at + 1]); };
  auto be32 = [&](size_t at) { return be16(at) << 16 | be16(at + 2); };
  if (n >= 4 + 38 && be16(0) == 0xFF4F && be16(2) == 0xFF51) {  // SOC, SIZ
    const uint64_t xs = be32(8), ys = be32(12), xo = be32(16), yo = be32(20);
    if (xo > xs || yo > ys) return false;
    cols = xs - xo, rows = ys - yo;
    return true;
  }
  if (n < 4 || be16(0) != 0xFFD8) return false;
  for (size_t i = 2; i + 4 <= n;) {
    if (p[i] != 0xFF) return false;
    const uint8_t m = p[i + 1];
    if (m == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    const bool sof = (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xF7;
    if (sof) {
      if (i + 9 > n) return false;
      rows = be16(i + 5), cols = be16(i + 7);
      return rows > 0;  // 0: the height comes later (DNL); unknown here
    }
    if (m == 0xDA || m == 0xD9) return false;  // scan or end before a frame header
    i += 2 + be16(i + 2);
  }
  return false;
}

}  // namespace

Status checkCodestreamSize(const uint8_t* p, size_t n, const PixelFormat& pf, const std::string& path) {
  uint64_t cols = 0, rows = 0;
  if (!codestreamSize(p, n, cols, rows) || (cols >= pf.cols && rows >= pf.rows)) return {};
  return makeError("dicom.pixel_mismatch",
                   "the first frame's codestream is " + std::to_string(cols) + "x" + std::to_string(rows) +
                       ", the header says Columns " + std::to_string(pf.cols) + " x Rows " + std::to_string(pf.rows),
                   path);
}

Status checkPixelModule(const PixelFormat& p, const std::string& path) {
  const uint16_t b = p.bitsAllocated;
  if (b != 1 && b != 8 && b != 16 && b != 32 && b != 64)
    return makeError("dicom.unsupported_pixel", "BitsAllocated " + std::to_string(b) + " (1, 8, 16, 32 or 64 expected)",
                     path);
  if (p.samplesPerPixel != 1 && p.samplesPerPixel != 3)
    return makeError("dicom.unsupported_pixel",
                     "SamplesPerPixel " + std::to_string(p.samplesPerPixel) + " (1 or 3 expected)", path);
  return {};
}

Status checkNativeLength(const PixelFormat& p, uint32_t frames, uint64_t length, const std::string& path) {
  const std::optional<uint64_t> bytes = detail::framesBytes(p, frames);  // frame_size.h
  if (bytes && *bytes <= length) return {};
  const std::string need = bytes ? std::to_string(*bytes) : std::string("more than 2^61");
  return makeError("dicom.pixel_length",
                   "Pixel Data holds " + std::to_string(length) + " bytes; " + std::to_string(p.rows) + " rows x " +
                       std::to_string(p.cols) + " columns x " + std::to_string(p.samplesPerPixel) + " sample(s) x " +
                       std::to_string(p.bitsAllocated) + " bits x " + std::to_string(frames) + " frame(s) need " +
                       need,
                   path);
}

Status checkFragments(const std::string& path, const uint8_t* head, size_t n, uint64_t offset, uint64_t fileSize,
                      const PixelFormat& pf, uint32_t frames) {
  // Item headers (8 bytes each) from the bytes already read, else from the file; every item length
  // is checked against the file size before it is skipped, so the walk ends within fileSize / 8.
  int fd = -1;
  auto bytesAt = [&](uint64_t pos, uint8_t* out, size_t len) {
    if (pos + len <= n) {
      std::memcpy(out, head + pos, len);
      return true;
    }
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    return fd >= 0 && ::pread(fd, out, len, static_cast<off_t>(pos)) == static_cast<ssize_t>(len);
  };
  uint64_t pos = offset, items = 0, firstAt = 0, firstLength = 0;
  std::string error;
  for (;;) {
    uint8_t b[8];
    if (pos + 8 > fileSize || !bytesAt(pos, b, 8)) {
      error = "the encapsulated Pixel Data ends without its sequence delimiter";
      break;
    }
    const uint32_t tag = (static_cast<uint32_t>(b[0] | (b[1] << 8)) << 16) | static_cast<uint32_t>(b[2] | (b[3] << 8));
    const uint64_t len = b[4] | (b[5] << 8) | (b[6] << 16) | (static_cast<uint64_t>(b[7]) << 24);
    pos += 8;
    if (tag == 0xFFFEE0DDu) break;  // sequence delimiter
    if (tag != 0xFFFEE000u) {
      error = "an element other than an item inside the encapsulated Pixel Data";
      break;
    }
    if (len > fileSize - pos) {
      error = "item " + std::to_string(items) + " claims " + std::to_string(len) + " bytes, the file holds " +
              std::to_string(fileSize - pos) + " after it";
      break;
    }
    if (items == 1) firstAt = pos, firstLength = len;
    pos += len;
    ++items;
  }
  // The first fragment's codestream header against Rows and Columns (a few hundred bytes).
  std::vector<uint8_t> start(static_cast<size_t>(std::min<uint64_t>(firstLength, 4096)));
  const bool startRead = error.empty() && !start.empty() && bytesAt(firstAt, start.data(), start.size());
  if (fd >= 0) ::close(fd);
  if (!error.empty()) return makeError("dicom.truncated", error, path);
  const uint64_t fragments = items > 0 ? items - 1 : 0;  // item 0 is the Basic Offset Table
  CVX_TRY(fewerFragments(frames, fragments, path));
  return startRead ? checkCodestreamSize(start.data(), start.size(), pf, path) : Status{};
}

Status checkPixelBounds(DcmItem& ds, const PixelFormat& p, uint32_t frames, const std::string& path) {
  CVX_TRY(checkPixelModule(p, path));
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el, OFFalse).bad() || !el) return {};
  auto* pixels = dynamic_cast<DcmPixelData*>(el);
  E_TransferSyntax xfer = EXS_Unknown;
  const DcmRepresentationParameter* param = nullptr;
  DcmPixelSequence* seq = nullptr;
  if (pixels) {
    pixels->getCurrentRepresentationKey(xfer, param);
    if (pixels->getEncapsulatedRepresentation(xfer, param, seq).bad()) seq = nullptr;
  }
  if (!seq) {
    // Encapsulated in a syntax DCMTK does not know, without a pixel sequence: the decoder decides.
    if (DcmXfer(xfer).isEncapsulated()) return {};
    return checkNativeLength(p, frames, el->getLength(), path);
  }
  // Encapsulated: DCMTK has already checked each item length against the file; count the fragments
  // and read the first one's codestream header.
  const uint64_t fragments = seq->card() > 0 ? seq->card() - 1 : 0;  // item 0 is the Basic Offset Table
  CVX_TRY(fewerFragments(frames, fragments, path));
  DcmPixelItem* first = nullptr;
  if (seq->getItem(first, 1).bad() || !first || first->getLength() == 0) return {};
  std::vector<uint8_t> start(std::min<size_t>(first->getLength(), 4096));
  DcmFileCache cache;
  if (first->getPartialValue(start.data(), 0, static_cast<Uint32>(start.size()), &cache).bad()) return {};
  return checkCodestreamSize(start.data(), start.size(), p, path);
}

}  // namespace cvx::io::dcm

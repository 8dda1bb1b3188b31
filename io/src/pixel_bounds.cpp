// Header values that size an allocation or a loop (Rows, Columns, SamplesPerPixel, BitsAllocated,
// NumberOfFrames, fragments) checked against the bytes the file holds, before anything is
// allocated: a header that lies fails here, in microseconds, with a coded error.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dcm_util.h"

namespace cvx::io::dcm {
namespace {

// Bits of one native frame as stored (native YBR_*_422 keeps two samples per pixel).
uint64_t nativeFrameBits(const PixelFormat& p) {
  const bool sub422 = p.photometric == "YBR_FULL_422" || p.photometric == "YBR_PARTIAL_422";
  const uint64_t samples = p.samplesPerPixel == 3 && sub422 ? 2 : p.samplesPerPixel;
  return static_cast<uint64_t>(p.rows) * p.cols * samples * p.bitsAllocated;
}

// Every frame starts a fragment of its own (PS3.5 A.4): at least as many fragments as frames.
Status fewerFragments(uint32_t frames, uint64_t fragments, const std::string& path) {
  if (fragments >= frames) return {};
  return makeError("dicom.bad_fragments",
                   "NumberOfFrames " + std::to_string(frames) + " but the encapsulated Pixel Data holds " +
                       std::to_string(fragments) + " fragment(s) (each frame needs at least one)",
                   path);
}

}  // namespace

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
  const uint64_t bits = nativeFrameBits(p);
  if (bits == 0 || frames <= length * 8 / bits) return {};
  const bool fits = bits <= UINT64_MAX / frames - 7;  // frames > 0 here
  const std::string need = fits ? std::to_string((bits * frames + 7) / 8) : std::string("more than 2^61");
  return makeError("dicom.pixel_length",
                   "Pixel Data holds " + std::to_string(length) + " bytes; " + std::to_string(p.rows) + " rows x " +
                       std::to_string(p.cols) + " columns x " + std::to_string(p.samplesPerPixel) + " sample(s) x " +
                       std::to_string(p.bitsAllocated) + " bits x " + std::to_string(frames) + " frame(s) need " +
                       need,
                   path);
}

Status checkFragments(const std::string& path, const uint8_t* head, size_t n, uint64_t offset, uint64_t fileSize,
                      uint32_t frames) {
  // Item headers (8 bytes each) from the bytes already read, else from the file; every item length
  // is checked against the file size before it is skipped, so the walk ends within fileSize / 8.
  int fd = -1;
  auto itemAt = [&](uint64_t pos, uint8_t out[8]) {
    if (pos + 8 <= n) {
      std::memcpy(out, head + pos, 8);
      return true;
    }
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    return fd >= 0 && ::pread(fd, out, 8, static_cast<off_t>(pos)) == 8;
  };
  uint64_t pos = offset, items = 0;
  std::string error;
  for (;;) {
    uint8_t b[8];
    if (pos + 8 > fileSize || !itemAt(pos, b)) {
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
    pos += len;
    ++items;
  }
  if (fd >= 0) ::close(fd);
  if (!error.empty()) return makeError("dicom.truncated", error, path);
  const uint64_t fragments = items > 0 ? items - 1 : 0;  // item 0 is the Basic Offset Table
  return fewerFragments(frames, fragments, path);
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
  // Encapsulated: DCMTK has already checked each item length against the file; count the fragments.
  const uint64_t fragments = seq->card() > 0 ? seq->card() - 1 : 0;  // item 0 is the Basic Offset Table
  return fewerFragments(frames, fragments, path);
}

}  // namespace cvx::io::dcm

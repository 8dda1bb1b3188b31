// Fast path for native little-endian frames whose byte offset the scan verified: one pread per
// frame straight into the destination, then BitsStored masking / sign extension in place.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "load_internal.h"

namespace cvx::io::detail {
namespace {

template <class T>
void maskInPlace(T* v, size_t n, unsigned bitsStored, bool isSigned) {
  using U = std::make_unsigned_t<T>;
  const unsigned bits = sizeof(T) * 8;
  if (bitsStored >= bits) return;
  const U mask = static_cast<U>((1u << bitsStored) - 1u);
  const U sign = static_cast<U>(1u << (bitsStored - 1));
  for (size_t i = 0; i < n; ++i) {
    U u = static_cast<U>(static_cast<U>(v[i]) & mask);
    if (isSigned && (u & sign)) u = static_cast<U>(u | static_cast<U>(~mask));
    v[i] = static_cast<T>(u);
  }
}

}  // namespace

bool nativeFastPathApplies(const FileHeader& h) {
  const PixelFormat& p = h.pixel;
  return h.pixelDataOffset >= 0 && p.samplesPerPixel == 1 && (p.bitsAllocated == 16 || (p.bitsAllocated == 8 && !p.isSigned)) &&
         p.highBit + 1 == p.bitsStored && p.bitsStored >= 1 && p.bitsStored <= p.bitsAllocated &&
         p.photometric.rfind("MONOCHROME", 0) == 0;
}

Status readNativeFrames(const FileHeader& h, const std::vector<std::pair<uint32_t, std::byte*>>& frames) {
  const PixelFormat& p = h.pixel;
  const size_t n = static_cast<size_t>(p.rows) * p.cols;
  const size_t bytes = n * (p.bitsAllocated / 8);
  const int fd = ::open(h.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return makeError("io.open_failed", "cannot open file", h.path);
  Status result;
  for (const auto& [frame, dst] : frames) {
    const off_t off = static_cast<off_t>(h.pixelDataOffset) + static_cast<off_t>(frame) * static_cast<off_t>(bytes);
    size_t done = 0;
    while (done < bytes) {
      const ssize_t r = ::pread(fd, reinterpret_cast<char*>(dst) + done, bytes - done, off + static_cast<off_t>(done));
      if (r <= 0) break;
      done += static_cast<size_t>(r);
    }
    if (done != bytes) {
      result = makeError("dicom.truncated", "pixel data shorter than the frame needs", h.path);
      break;
    }
    if (p.bitsAllocated == 16) {
      if (p.isSigned) maskInPlace(reinterpret_cast<int16_t*>(dst), n, p.bitsStored, true);
      else maskInPlace(reinterpret_cast<uint16_t*>(dst), n, p.bitsStored, false);
    } else {
      if (p.isSigned) maskInPlace(reinterpret_cast<int8_t*>(dst), n, p.bitsStored, true);
      else maskInPlace(reinterpret_cast<uint8_t*>(dst), n, p.bitsStored, false);
    }
  }
  ::close(fd);
  return result;
}

}  // namespace cvx::io::detail

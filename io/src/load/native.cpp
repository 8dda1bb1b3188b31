// Fast path for native little-endian frames whose byte offset the scan verified: one pread per
// frame straight into the destination, then the decoder's in-place BitsStored masking.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "decode/decode.h"
#include "dicom/frame_size.h"
#include "load/internal.h"

namespace cvx::io::detail {

bool nativeFastPathApplies(const FileHeader& h) {
  const PixelFormat& p = h.pixel;
  return h.pixelDataOffset >= 0 && p.samplesPerPixel == 1 && (p.bitsAllocated == 16 || (p.bitsAllocated == 8 && !p.isSigned)) &&
         p.highBit + 1 == p.bitsStored && p.bitsStored >= 1 && p.bitsStored <= p.bitsAllocated &&
         p.photometric.rfind("MONOCHROME", 0) == 0;
}

Status readNativeFrames(const FileHeader& h, const std::vector<std::pair<uint32_t, std::byte*>>& frames) {
  const PixelFormat& p = h.pixel;
  const size_t bytes = frameBytes(p);  // frame_size.h
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
    maskGreyInPlace(p, dst);
  }
  ::close(fd);
  return result;
}

}  // namespace cvx::io::detail

#include <cvx/io/dicom.h>

namespace cvx::io {

PixelType PixelFormat::storedType() const {
  if (photometric.rfind("PALETTE", 0) == 0) return PixelType::RGB8;
  // Colour keeps every bit: 8, 16 or 32 bits per channel.
  if (samplesPerPixel == 3) {
    if (bitsAllocated == 32) return PixelType::RGB32;
    return bitsAllocated > 8 ? PixelType::RGB16 : PixelType::RGB8;
  }
  if (bitsAllocated <= 8) return PixelType::UInt8;
  // 32-bit integers (RT Dose) as float32: exact up to 2^24, then to float precision.
  if (bitsAllocated == 32) return PixelType::Float32;
  return isSigned ? PixelType::Int16 : PixelType::UInt16;
}

}  // namespace cvx::io

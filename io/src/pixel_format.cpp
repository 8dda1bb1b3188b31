#include <cvx/io/dicom.h>

namespace cvx::io {

PixelType PixelFormat::storedType() const {
  if (samplesPerPixel == 3 || photometric.rfind("PALETTE", 0) == 0) return PixelType::RGB8;
  if (bitsAllocated <= 8) return PixelType::UInt8;
  return isSigned ? PixelType::Int16 : PixelType::UInt16;
}

}  // namespace cvx::io

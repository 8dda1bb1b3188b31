// Pixel decoding (private to io): every transfer syntax in ../shared/data, straight into place.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <cvx/core/error.h>
#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// One frame to decode and where its pixels go. dst holds rows*cols values of
// PixelFormat::storedType(): uint8/int16/uint16 stored values (masked to BitsStored, sign-extended
// when signed), or RGB8 interleaved for colour and palette images.
struct FrameDest {
  uint32_t frame = 0;
  std::byte* dst = nullptr;
};

// Decodes the given frames of the file at path. `expect` is the pixel format from the scan; a file
// whose pixel module disagrees fails with dicom.pixel_mismatch. Errors carry codes such as
// dicom.truncated, dicom.unsupported_syntax, dicom.decode_failed.
Status decodeFrames(const std::string& path, const PixelFormat& expect, std::span<const FrameDest> frames);

// In place on a native grey frame already in dst (sample size = stored size): HighBit shift,
// BitsStored mask and sign extension. Used by the loader's direct-read path too.
void maskGreyInPlace(const PixelFormat& p, std::byte* dst);

}  // namespace cvx::io::detail

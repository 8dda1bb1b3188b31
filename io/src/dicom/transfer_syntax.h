// SPDX-License-Identifier: MIT
// The one transfer-syntax table (PS3.5 Section 10 and Annex A; UIDs from PS3.6 Annex A): for each
// UID its decoder, VR encoding, byte order, whether Pixel Data is encapsulated, whether the
// compression is lossy, and its name. Every place that needs a property of a transfer syntax asks
// here; nothing else compares transfer syntax UIDs.
#pragma once

#include <cstdint>
#include <string_view>

namespace cvx::io::detail {

// Which decoder reads a syntax's frames (decode.cpp).
enum class SyntaxKind : uint8_t {
  None,          // known, but no decoder here (video, JPEG 2000 Part 2, JPIP, ...)
  Native,        // explicit/implicit LE, explicit BE, deflated dataset: bytes as they are
  DcmtkCodec,    // RLE, JPEG baseline/extended/lossless, JPEG-LS: DCMTK's decoders
  JpegLossless,  // .57/.70: CineVox's fast decoder, DCMTK as the fallback
  OpenJpeg,      // JPEG 2000 and HTJ2K: OpenJPEG (codec/j2k.h)
  FrameDeflate,  // Deflated Image Frame Compression (1.2.840.10008.1.2.8.1), zlib per frame
};

struct TransferSyntax {
  std::string_view uid;
  SyntaxKind kind;
  bool explicitVr;       // data set written with explicit VR
  bool bigEndian;        // data set (and native Pixel Data) big endian
  bool encapsulated;     // Pixel Data as fragments (PS3.5 A.4)
  bool lossy;            // the compression may lose information
  bool deflatedDataset;  // the whole data set after the meta header is deflated (PS3.5 A.5)
  std::string_view name;
};

namespace ts {
inline constexpr std::string_view kImplicitLittle = "1.2.840.10008.1.2";
inline constexpr std::string_view kExplicitLittle = "1.2.840.10008.1.2.1";
inline constexpr std::string_view kDeflatedExplicitLittle = "1.2.840.10008.1.2.1.99";
inline constexpr std::string_view kExplicitBig = "1.2.840.10008.1.2.2";
inline constexpr std::string_view kRleLossless = "1.2.840.10008.1.2.5";
}  // namespace ts

// The entry for uid (trailing spaces and NULs ignored), or nullptr for a UID not in the table.
const TransferSyntax* findTransferSyntax(std::string_view uid);

// Native (not encapsulated, data set not deflated): Pixel Data bytes are the samples.
bool isNativeSyntax(std::string_view uid);
// Native little endian: implicit or explicit VR little endian.
bool isNativeLittleEndian(std::string_view uid);
// Explicit VR little endian data set with encapsulated Pixel Data: every encapsulated syntax in
// the table, and any other of the JPEG family's arc (1.2.840.10008.1.2.4.x, PS3.6), which are all
// explicit VR little endian.
bool isEncapsulatedLittleEndian(std::string_view uid);

}  // namespace cvx::io::detail

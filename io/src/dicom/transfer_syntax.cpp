// SPDX-License-Identifier: MIT
// The transfer-syntax table (transfer_syntax.h).
#include "dicom/transfer_syntax.h"

namespace cvx::io::detail {
namespace {

using K = SyntaxKind;
constexpr bool E = true, I = false;  // explicit / implicit VR

// uid, decoder, explicit VR, big endian, encapsulated, lossy, deflated data set, name
constexpr TransferSyntax kTable[] = {
    {ts::kImplicitLittle, K::Native, I, false, false, false, false, "Implicit VR Little Endian"},
    {ts::kExplicitLittle, K::Native, E, false, false, false, false, "Explicit VR Little Endian"},
    {ts::kDeflatedExplicitLittle, K::Native, E, false, false, false, true, "Deflated Explicit VR Little Endian"},
    {ts::kExplicitBig, K::Native, E, true, false, false, false, "Explicit VR Big Endian"},
    {ts::kRleLossless, K::DcmtkCodec, E, false, true, false, false, "RLE Lossless"},
    {"1.2.840.10008.1.2.4.50", K::DcmtkCodec, E, false, true, true, false, "JPEG Baseline (Process 1)"},
    {"1.2.840.10008.1.2.4.51", K::DcmtkCodec, E, false, true, true, false, "JPEG Extended (Process 2 & 4)"},
    {"1.2.840.10008.1.2.4.53", K::DcmtkCodec, E, false, true, true, false, "JPEG Spectral Selection (Process 6 & 8)"},
    {"1.2.840.10008.1.2.4.55", K::DcmtkCodec, E, false, true, true, false, "JPEG Full Progression (Process 10 & 12)"},
    {"1.2.840.10008.1.2.4.57", K::JpegLossless, E, false, true, false, false, "JPEG Lossless (Process 14)"},
    {"1.2.840.10008.1.2.4.70", K::JpegLossless, E, false, true, false, false, "JPEG Lossless SV1"},
    {"1.2.840.10008.1.2.4.80", K::DcmtkCodec, E, false, true, false, false, "JPEG-LS Lossless"},
    {"1.2.840.10008.1.2.4.81", K::DcmtkCodec, E, false, true, true, false, "JPEG-LS Near-Lossless"},
    {"1.2.840.10008.1.2.4.90", K::OpenJpeg, E, false, true, false, false, "JPEG 2000 Lossless"},
    {"1.2.840.10008.1.2.4.91", K::OpenJpeg, E, false, true, true, false, "JPEG 2000"},
    {"1.2.840.10008.1.2.4.92", K::None, E, false, true, false, false, "JPEG 2000 Part 2 Lossless"},
    {"1.2.840.10008.1.2.4.93", K::None, E, false, true, true, false, "JPEG 2000 Part 2"},
    {"1.2.840.10008.1.2.4.100", K::None, E, false, true, true, false, "MPEG2 Main Profile"},
    {"1.2.840.10008.1.2.4.101", K::None, E, false, true, true, false, "MPEG2 High Profile"},
    {"1.2.840.10008.1.2.4.102", K::None, E, false, true, true, false, "MPEG-4 AVC/H.264 High Profile"},
    {"1.2.840.10008.1.2.4.103", K::None, E, false, true, true, false, "MPEG-4 AVC/H.264 BD-compatible"},
    {"1.2.840.10008.1.2.4.104", K::None, E, false, true, true, false, "MPEG-4 AVC/H.264 2D video"},
    {"1.2.840.10008.1.2.4.105", K::None, E, false, true, true, false, "MPEG-4 AVC/H.264 3D video"},
    {"1.2.840.10008.1.2.4.106", K::None, E, false, true, true, false, "MPEG-4 AVC/H.264 Stereo"},
    {"1.2.840.10008.1.2.4.107", K::None, E, false, true, true, false, "HEVC/H.265 Main Profile"},
    {"1.2.840.10008.1.2.4.108", K::None, E, false, true, true, false, "HEVC/H.265 Main 10 Profile"},
    {"1.2.840.10008.1.2.4.201", K::OpenJpeg, E, false, true, false, false, "HTJ2K Lossless"},
    {"1.2.840.10008.1.2.4.202", K::OpenJpeg, E, false, true, false, false, "HTJ2K Lossless RPCL"},
    {"1.2.840.10008.1.2.4.203", K::OpenJpeg, E, false, true, true, false, "HTJ2K"},
    {"1.2.840.10008.1.2.8.1", K::FrameDeflate, E, false, true, false, false, "Deflated Image Frame Compression"},
};

constexpr std::string_view kJpegArc = "1.2.840.10008.1.2.4.";

std::string_view trimmed(std::string_view uid) {
  while (!uid.empty() && (uid.back() == ' ' || uid.back() == '\0')) uid.remove_suffix(1);
  return uid;
}

}  // namespace

const TransferSyntax* findTransferSyntax(std::string_view uid) {
  uid = trimmed(uid);
  for (const TransferSyntax& t : kTable)
    if (t.uid == uid) return &t;
  return nullptr;
}

bool isNativeSyntax(std::string_view uid) {
  const TransferSyntax* t = findTransferSyntax(uid);
  return t && !t->encapsulated && !t->deflatedDataset;
}

bool isNativeLittleEndian(std::string_view uid) {
  const TransferSyntax* t = findTransferSyntax(uid);
  return t && !t->encapsulated && !t->deflatedDataset && !t->bigEndian;
}

bool isEncapsulatedLittleEndian(std::string_view uid) {
  if (const TransferSyntax* t = findTransferSyntax(uid)) return t->encapsulated && !t->bigEndian;
  return trimmed(uid).substr(0, kJpegArc.size()) == kJpegArc;
}

}  // namespace cvx::io::detail

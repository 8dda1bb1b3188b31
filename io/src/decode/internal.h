// SPDX-License-Identifier: MIT
// Private to the decoder (decode*.cpp): the opened file, its pixel module, the raw frame that a
// codec hands to the conversion step, and the per-syntax decode functions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>

#include "decode/decode.h"
#include "dicom/transfer_syntax.h"

namespace cvx::io::detail {

// SyntaxKind: who decodes a transfer syntax (transfer_syntax.h, the one table).

// Kind of a transfer syntax UID, or false when CineVox cannot decode it.
bool syntaxKind(const std::string& uid, SyntaxKind& kind);

// One opened file: the DCMTK objects (big values stay on disk) and the file's own pixel module.
struct DecodeFile {
  std::string path;
  DcmFileFormat ff;
  DcmDataset* ds = nullptr;
  DcmPixelData* pixels = nullptr;
  DcmFileCache cache;  // keeps one file handle open across partial reads
  std::string syntax;  // transfer syntax UID
  SyntaxKind kind = SyntaxKind::Native;
  PixelFormat pf;      // as the file states it
  uint32_t frames = 1; // NumberOfFrames
  // Encapsulated data: the item list (0 = Basic Offset Table) and, once worked out, the first
  // item of each frame plus one past the last item (frames + 1 entries).
  DcmPixelSequence* seq = nullptr;
  std::vector<uint32_t> frameStart;
};

// Samples of one decoded frame before conversion to the stored type.
struct RawFrame {
  const uint8_t* data = nullptr;
  size_t size = 0;          // bytes
  unsigned sampleBytes = 2; // 1 or 2 (host byte order)
  unsigned samples = 1;     // 1 or 3
  bool planar = false;      // colour by plane
  bool subsampled422 = false;  // native YBR_FULL_422: Y0 Y1 Cb Cr per pixel pair
  bool applyHighBit = true; // shift by HighBit+1-BitsStored (native data)
  std::string color;        // photometric of the samples (after any codec colour conversion)
};

// Opens path (meta, header; Pixel Data left on disk), fills the pixel module, checks it against
// expect. Errors: those of classify.h (the scan's, for the same file), dicom.unsupported_syntax,
// dicom.unsupported_pixel, dicom.pixel_mismatch.
Status openForDecode(const std::string& path, const PixelFormat& expect, DecodeFile& f);
// openForDecode without the check against the scan's pixel format.
Status openFile(const std::string& path, DecodeFile& f);

// Per-syntax decoders: one frame into dst (rows*cols of pf.storedType()).
Status decodeNativeFrame(DecodeFile& f, uint32_t frame, std::byte* dst);
Status decodeDcmtkFrame(DecodeFile& f, uint32_t frame, std::byte* dst);
Status decodeJpegLosslessFrame(DecodeFile& f, uint32_t frame, std::byte* dst);
Status decodeOpenJpegFrame(DecodeFile& f, uint32_t frame, std::byte* dst);
Status decodeDeflateFrame(DecodeFile& f, uint32_t frame, std::byte* dst);

// Encapsulated Pixel Data: the bytes of one frame (its fragments concatenated), located with
// the Extended Offset Table, the Basic Offset Table, one fragment per frame, or codestream
// start markers. first/last receive the fragment range (indices into the item list, 0 = BOT).
Status frameFragments(DecodeFile& f, uint32_t frame, uint32_t& first, uint32_t& last);
Status readFrameBytes(DecodeFile& f, uint32_t frame, std::vector<uint8_t>& out);

// Converts raw samples to the stored type of f.pf in dst: BitsStored mask, sign extension,
// planar to interleaved, YBR to RGB, PALETTE COLOR through its LUT. Errors:
// dicom.pixel_mismatch (size), dicom.unsupported_pixel.
Status convertFrame(DecodeFile& f, const RawFrame& raw, std::byte* dst);
// Unpacks 1-bit pixels starting at bit `bitOffset` of data into rows*cols uint8 0/1 values.
Status unpackBits(const uint8_t* data, size_t size, uint64_t bitOffset, size_t count, uint8_t* dst);

// Palette expansion (decode_palette.cpp): values are stored indices of sampleBytes each.
Status expandPalette(DecodeFile& f, const RawFrame& raw, uint8_t* rgb);

// Rows * cols, the pixel count of one frame.
inline size_t pixelCount(const PixelFormat& pf) { return static_cast<size_t>(pf.rows) * pf.cols; }

}  // namespace cvx::io::detail

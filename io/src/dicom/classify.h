// SPDX-License-Identifier: MIT
// The one file classifier: what kind of file this is (not DICOM, truncated, DICOMDIR, no pixels),
// asked by the scan (readHeader) and the decoder (openForDecode) alike, so that both give the
// same code for the same broken file. Codes: docs/errors.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/core/error.h>

namespace cvx::io::detail {

// How many leading bytes the classifier reads (and the fast header parser sees first).
constexpr uint64_t kClassifyHeadBytes = 16 * 1024;

// Before any parser: io.open_failed, io.not_a_file, dicom.empty, dicom.gzip, dicom.truncated (ends
// inside the preamble), dicom.not_dicom (no DICM marker and no plausible data set start),
// dicom.dicomdir (by the meta header's Media Storage SOP Class). On success size is the file's
// and head holds its first kClassifyHeadBytes bytes (fewer if shorter).
Status classifyHead(const std::string& path, uint64_t& size, std::vector<uint8_t>& head);

// The first `limit` bytes of a file of `size` bytes (fewer if shorter); false if it cannot be opened.
bool readHeadBytes(const std::string& path, uint64_t limit, uint64_t size, std::vector<uint8_t>& head);

// A failed DCMTK load of ff: dicom.truncated when the stream ended inside an element, otherwise
// dicom.parse_failed (the file already looked like DICOM to classifyHead). When the stream ended
// after Pixel Data began, the pixel-module and Pixel Data length checks come first, as in the fast
// parser: dicom.unsupported_pixel, dicom.pixel_length.
Error classifyLoadFailure(const OFCondition& c, DcmFileFormat& ff, const std::string& path);

// A loaded header without Pixel Data (nor Float Pixel Data): dicom.dicomdir or dicom.no_pixels.
Status classifyDataset(DcmFileFormat& ff, const std::string& path);

}  // namespace cvx::io::detail

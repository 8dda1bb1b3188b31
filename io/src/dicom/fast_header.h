// A bounded, hand-written header parser for the common case (Part 10, little endian, classic
// images), about 20x faster than a full DCMTK parse. It accepts a file only when it understands
// all of it; anything else (no DICM, big endian, deflate, enhanced or mosaic objects, an element it
// cannot bound) returns nullopt and the caller falls back to DCMTK.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

// dicom.vr_mismatch: the data set is written with another VR encoding than its syntax declares.
Diagnostic vrMismatch(bool writtenExplicit);

// buf holds the first n bytes of the file (n <= fileSize). nullopt: declined (DCMTK decides); when
// the header lies about the size of its pixels, also *refused (if given) = the coded error.
std::optional<FileHeader> parseHeaderFast(const std::string& path, const uint8_t* buf, size_t n, uint64_t fileSize,
                                          Status* refused = nullptr);

// MediaStorageSOPClassUID from a Part 10 meta header, "" when there is none.
std::string mediaStorageClass(const uint8_t* buf, size_t n);

// The DCMTK reader (the reference; used when the fast parser declines). May throw (DCMTK does).
Result<FileHeader> readHeaderDcmtk(const std::string& path);
// Fast parser, then DCMTK; may throw. readHeader() wraps it and turns exceptions into errors.
Result<FileHeader> readHeaderChecked(const std::string& path);

}  // namespace cvx::io::detail

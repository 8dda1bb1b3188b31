// SPDX-License-Identifier: MIT
// What DCMTK may see: no directory records outside a DICOMDIR. DCMTK makes a DcmDirectoryRecord of
// every item of a Directory Record Sequence (0004,1220) in any data set, and throws and leaks on
// corrupt ones (found by fuzz_read_header). Only a DICOMDIR holds directory records, and io reads
// DICOMDIRs as indexes, never as images: a file that holds them is declined (dicom.dicomdir)
// before DCMTK parses it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include <cvx/core/error.h>

namespace cvx::io::detail {

// True when the bytes hold the tag (0004,1220), little or big endian, followed 8 or 12 bytes on
// (after its VR and length) by an Item tag (FFFE,E000): the item DCMTK would make a record of.
bool holdsDirectoryRecords(const uint8_t* p, size_t n);

// The same over a whole file (read in chunks; a deflated data set inflated, as DCMTK reads it),
// and the error to return for it. Call it before DcmFileFormat::loadFile; io.open_failed when the
// file cannot be opened.
Status checkNoDirectoryRecords(const std::string& path);

}  // namespace cvx::io::detail

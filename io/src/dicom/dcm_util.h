// Small DCMTK helpers shared by the io stages (private to io).
#pragma once
#include <array>
#include <optional>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/io/dicom.h>

namespace cvx::io::dcm {

// Once per process: quiet DCMTK's own logger (errors come back as values).
void initDcmtk();

// Trimmed string value (all values, backslash-separated) or "" when absent.
std::string str(DcmItem& item, const DcmTagKey& tag);
std::optional<double> num(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0);
// First item of a sequence inside item, or nullptr.
DcmItem* firstItem(DcmItem& item, const DcmTagKey& seq);

// Checks of the header values that size allocations and loops (pixel_bounds.cpp), run by the scan
// on both header readers (the decoder reads frames by ranges it checks itself).
// BitsAllocated 1/8/16/32/64 and SamplesPerPixel 1/3, else dicom.unsupported_pixel.
Status checkPixelModule(const PixelFormat& p, const std::string& path);
// Native Pixel Data of `length` bytes holds `frames` frames of p, else dicom.pixel_length.
Status checkNativeLength(const PixelFormat& p, uint32_t frames, uint64_t length, const std::string& path);
// Encapsulated Pixel Data whose first item header is at `offset`: walks the item headers (from
// head[0, n) when they lie there, else from the file), each length checked against fileSize, else
// dicom.truncated; fewer fragments than frames: dicom.bad_fragments; a first codestream (JPEG,
// JPEG 2000) smaller than Rows x Columns: dicom.pixel_mismatch.
Status checkFragments(const std::string& path, const uint8_t* head, size_t n, uint64_t offset, uint64_t fileSize,
                      const PixelFormat& pf, uint32_t frames);
// The codestream whose first n bytes are p states at least pf's Columns and Rows (when it states
// them: JPEG SOF, JPEG 2000 SIZ), else dicom.pixel_mismatch.
Status checkCodestreamSize(const uint8_t* p, size_t n, const PixelFormat& pf, const std::string& path);
// Both, on a data set DCMTK has read: native length, or (encapsulated) at least one fragment per
// frame (else dicom.bad_fragments) and the first codestream's size.
Status checkPixelBounds(DcmItem& ds, const PixelFormat& p, uint32_t frames, const std::string& path);

// DCMTK's loadFile (ERM_autoDetect), except for a Part 10 file whose data set is written with
// another VR encoding than its meta header declares: that one is read as written, and
// *mismatched is set (decode_vr.cpp). The scan and the decoder both open files this way.
OFCondition loadAsWritten(const std::string& path, DcmFileFormat& ff, Uint32 maxReadLength, bool* mismatched = nullptr);

// The attribute accessor of scan_fill.h over a DCMTK item.
struct DcmAccess {
  DcmItem* it = nullptr;
  std::string str(const DcmTagKey& tag) const { return it ? dcm::str(*it, tag) : std::string(); }
  std::optional<double> num(const DcmTagKey& tag, unsigned long pos = 0) const {
    return it ? dcm::num(*it, tag, pos) : std::nullopt;
  }
  std::optional<DcmAccess> item(const DcmTagKey& seq) const;
};

}  // namespace cvx::io::dcm

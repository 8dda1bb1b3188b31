// The fast header parser: element walk with every length checked against the bytes left.
#include "dicom/fast_header.h"

#include <cstring>
#include <vector>

#include "dicom/dcm_util.h"
#include "dicom/fast_parse.h"
#include "dicom/fill.h"
#include "dicom/transfer_syntax.h"

namespace cvx::io::detail {
namespace {

inline uint32_t tagOf(const DcmTagKey& k) { return (static_cast<uint32_t>(k.getGroup()) << 16) | k.getElement(); }

}  // namespace

Diagnostic vrMismatch(bool writtenExplicit) {
  return {"dicom.vr_mismatch", std::string("transfer syntax declares ") + (writtenExplicit ? "implicit" : "explicit") +
                                   " VR but the data set is written with " + (writtenExplicit ? "explicit" : "implicit") +
                                   " VR; read as written"};
}

std::string mediaStorageClass(const uint8_t* buf, size_t n) {
  if (n < 132 + 12 || std::memcmp(buf + 128, "DICM", 4) != 0) return {};
  fast::Reader meta(buf, n, 132, true);
  fast::Attrs attrs;
  fast::parseMeta(meta, attrs);
  return fast::Access{&attrs}.str(DCM_MediaStorageSOPClassUID);
}

std::optional<FileHeader> parseHeaderFast(const std::string& path, const uint8_t* buf, size_t n, uint64_t fileSize,
                                          Status* refused) {
  if (n < 132 + 12 || std::memcmp(buf + 128, "DICM", 4) != 0) return std::nullopt;
  fast::Reader meta(buf, n, 132, true);
  fast::Attrs metaAttrs;
  if (!fast::parseMeta(meta, metaAttrs)) return std::nullopt;
  fast::Access metaAccess{&metaAttrs};
  const std::string ts = metaAccess.str(DCM_TransferSyntaxUID);
  const TransferSyntax* syntax = findTransferSyntax(ts);
  const bool declaredImplicit = syntax && !syntax->explicitVr;
  if (!isNativeLittleEndian(ts) && !isEncapsulatedLittleEndian(ts)) return std::nullopt;
  // The data set is read as it is written (its first element tells), not as declared.
  const bool implicitVr = n - meta.pos >= 8 ? !fast::explicitVrAt(buf, n, meta.pos) : declaredImplicit;
  fast::Reader body(buf, n, meta.pos, !implicitVr);
  fast::Attrs attrs;
  fast::PixelInfo pixel;
  if (!fast::parseDataset(body, attrs, pixel)) return std::nullopt;
  if (!pixel.found) return std::nullopt;  // not reached in buf, or no pixels: let DCMTK decide
  if (attrs.find(tagOf(DCM_PerFrameFunctionalGroupsSequence)) || attrs.find(tagOf(DCM_SharedFunctionalGroupsSequence)))
    return std::nullopt;
  FileHeader h;
  h.path = path;
  h.transferSyntaxUid = ts;
  h.sopClassUid = metaAccess.str(DCM_MediaStorageSOPClassUID);
  h.hasPixelData = true;
  fast::Access a{&attrs};
  fillPixelFormat(a, h.pixel);
  fillSeriesInfo(a, h);
  if (!checkFrameCount(a, path)) return std::nullopt;  // DCMTK's reader gives the coded error
  if (h.imageType.find("MOSAIC") != std::string::npos) return std::nullopt;  // CSA header: DCMTK path
  if (h.pixel.rows == 0 || h.pixel.cols == 0) return std::nullopt;
  // A header that lies about the size of its pixels (a pixel module no decoder reads, Pixel Data
  // shorter than its frames or past the end of the file, fewer fragments than frames) is refused
  // here with its code (pixel_bounds.cpp), before any frame is listed or anything allocated.
  auto refuse = [&](Status st) -> std::optional<FileHeader> {
    if (refused) *refused = std::move(st);
    return std::nullopt;
  };
  if (Status st = dcm::checkPixelModule(h.pixel, path); !st) return refuse(std::move(st));
  if (isNativeLittleEndian(ts)) {
    if (!pixel.definedLength) return std::nullopt;
    if (pixel.length > fileSize - pixel.offset)
      return refuse(makeError("dicom.truncated",
                              "Pixel Data claims " + std::to_string(pixel.length) + " bytes, the file holds " +
                                  std::to_string(fileSize - pixel.offset) + " after its start",
                              path));
    if (Status st = dcm::checkNativeLength(h.pixel, h.numberOfFrames, pixel.length, path); !st)
      return refuse(std::move(st));
    h.pixelDataOffset = static_cast<int64_t>(pixel.offset);
  } else if (pixel.definedLength) {
    return std::nullopt;  // encapsulated data must have undefined length
  } else if (Status st = dcm::checkFragments(path, buf, n, pixel.offset, fileSize, h.pixel, h.numberOfFrames); !st) {
    return refuse(std::move(st));
  }
  FrameHeader base;
  fillClassicFrame(a, base, &h.warnings);
  h.frames.reserve(h.numberOfFrames);
  for (uint32_t i = 0; i < h.numberOfFrames; ++i) {
    FrameHeader f = base;
    f.frame = i;
    h.frames.push_back(f);
  }
  fillDoseGrid(a, h);
  if (implicitVr != declaredImplicit) h.warnings.push_back(vrMismatch(!implicitVr));
  return h;
}

}  // namespace cvx::io::detail

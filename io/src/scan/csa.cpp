// Siemens CSA image header (SV10): number of mosaic tiles and the slice normal.
// Bounded parse: every count and length is checked against the bytes left.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dicom/dcm_util.h"
#include "dicom/number.h"
#include "scan/internal.h"

namespace cvx::io::detail {
namespace {

struct CsaReader {
  const uint8_t* p;
  size_t n;
  size_t pos = 0;
  bool u32(uint32_t& v) {
    if (pos + 4 > n) return false;
    std::memcpy(&v, p + pos, 4);
    pos += 4;
    return true;
  }
};

// Calls fn(name, values) for each CSA tag; returns false on a malformed header.
template <class Fn>
bool walkCsa(const uint8_t* data, size_t size, Fn&& fn) {
  if (size < 16 || std::memcmp(data, "SV10", 4) != 0) return false;
  CsaReader r{data, size, 8};
  uint32_t ntags = 0, unused = 0;
  if (!r.u32(ntags) || !r.u32(unused) || ntags > 1000) return false;
  for (uint32_t t = 0; t < ntags; ++t) {
    if (r.pos + 84 > size) return false;
    char name[65] = {};
    std::memcpy(name, data + r.pos, 64);
    r.pos += 64 + 4 + 4 + 4;  // name, vm, vr, syngodt
    uint32_t nitems = 0, xx = 0;
    if (!r.u32(nitems) || !r.u32(xx) || nitems > 10000) return false;
    std::vector<std::string> values;
    for (uint32_t i = 0; i < nitems; ++i) {
      uint32_t len[4];
      for (auto& l : len)
        if (!r.u32(l)) return false;
      const size_t padded = (static_cast<size_t>(len[1]) + 3) / 4 * 4;
      if (len[1] > size || r.pos + padded > size) return false;
      if (len[1] > 0) values.emplace_back(reinterpret_cast<const char*>(data + r.pos), strnlen(reinterpret_cast<const char*>(data + r.pos), len[1]));
      r.pos += padded;
    }
    fn(std::string(name), values);
  }
  return true;
}

}  // namespace

void readSiemensCsa(DcmItem& ds, FileHeader& h) {
  const Uint8* data = nullptr;
  unsigned long size = 0;
  if (ds.findAndGetUint8Array(DcmTagKey(0x0029, 0x1010), data, &size).good() && data) {
    std::optional<Vec3> normal;
    walkCsa(data, size, [&](const std::string& name, const std::vector<std::string>& v) {
      if (name == "NumberOfImagesInMosaic" && !v.empty())
        if (const auto n = parseNumber(v[0])) h.mosaicImages = toInteger<uint32_t>(*n).value_or(0);
      if (name == "SliceNormalVector" && v.size() >= 3) {
        const auto x = parseNumber(v[0]), y = parseNumber(v[1]), z = parseNumber(v[2]);
        if (x && y && z) normal = Vec3{*x, *y, *z};
      }
    });
    h.mosaicNormal = normal;
  }
  h.mosaicSpacing = dcm::num(ds, DCM_SpacingBetweenSlices).value_or(dcm::num(ds, DCM_SliceThickness).value_or(0));
  if (h.mosaicSpacing < 0 || h.mosaicSpacing > 1e4) {  // the tiles' step: never negative, never 10 m
    h.warnings.push_back({"geometry.invalid_thickness", "SpacingBetweenSlices (or SliceThickness) " +
                                                            std::to_string(h.mosaicSpacing) +
                                                            " mm is invalid for the mosaic tiles; ignored"});
    h.mosaicSpacing = 0;
  }
  if (h.mosaicImages == 0) {
    Uint16 n = 0;
    if (ds.findAndGetUint16(DcmTagKey(0x0019, 0x100a), n).good()) h.mosaicImages = n;
  }
  // Each tile holds at least one pixel: more tiles than that is a lie that would size a loop.
  const uint64_t side = std::min(h.pixel.rows, h.pixel.cols);
  if (h.mosaicImages > side * side) {
    h.warnings.push_back({"dicom.bad_mosaic", "NumberOfImagesInMosaic " + std::to_string(h.mosaicImages) +
                                                  " does not fit a " + std::to_string(h.pixel.cols) + "x" +
                                                  std::to_string(h.pixel.rows) + " image; read as one image"});
    h.mosaicImages = 0;
  }
}

}  // namespace cvx::io::detail

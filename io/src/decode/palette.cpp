// SPDX-License-Identifier: MIT
// PALETTE COLOR: stored indices through the red/green/blue lookup tables to RGB8 (PS3.3 C.7.6.3.1.5
// and C.7.9). Tables with 16-bit entries keep their high byte; 8-bit entries are accepted packed
// (one byte each) or one per 16-bit word, as writers differ.
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "dicom/dcm_util.h"
#include "decode/internal.h"

namespace cvx::io::detail {
namespace {

struct Lut {
  std::vector<uint8_t> values;  // RGB8 component per entry
  int32_t first = 0;            // pixel value mapped to entry 0
};

Status readLut(DecodeFile& f, const DcmTagKey& descTag, const DcmTagKey& dataTag, Lut& lut) {
  DcmElement* desc = nullptr;
  DcmElement* data = nullptr;
  if (f.ds->findAndGetElement(descTag, desc, OFFalse).bad() || !desc || desc->getVM() < 3 ||
      f.ds->findAndGetElement(dataTag, data, OFFalse).bad() || !data)
    return makeError("dicom.unsupported_pixel", "PALETTE COLOR without a complete lookup table", f.path);
  Uint16 d[3] = {0, 0, 0};
  for (unsigned long i = 0; i < 3; ++i)
    if (desc->getUint16(d[i], i).bad()) {
      Sint16 s = 0;
      if (desc->getSint16(s, i).bad()) return makeError("dicom.unsupported_pixel", "unreadable LUT descriptor", f.path);
      d[i] = static_cast<Uint16>(s);
    }
  const size_t entries = d[0] == 0 ? 65536u : d[0];
  lut.first = f.pf.isSigned ? static_cast<int16_t>(d[1]) : static_cast<int32_t>(d[1]);
  const unsigned bits = d[2];
  Uint8* bytes = nullptr;
  if (data->getUint8Array(bytes).bad() || !bytes) {
    Uint16* words = nullptr;
    if (data->getUint16Array(words).bad() || !words)
      return makeError("dicom.unsupported_pixel", "unreadable LUT data", f.path);
    bytes = reinterpret_cast<Uint8*>(words);
  }
  const size_t len = data->getLength();
  lut.values.resize(entries);
  if (bits == 8 && len == entries) {
    std::memcpy(lut.values.data(), bytes, entries);
    return {};
  }
  if (len < 2 * entries) return makeError("dicom.unsupported_pixel", "LUT data shorter than its descriptor", f.path);
  std::vector<uint16_t> w(entries);
  std::memcpy(w.data(), bytes, 2 * entries);  // DCMTK holds OW words in host order
  const bool high = bits == 16 || std::any_of(w.begin(), w.end(), [](uint16_t v) { return v > 255; });
  for (size_t i = 0; i < entries; ++i) lut.values[i] = static_cast<uint8_t>(high ? w[i] >> 8 : w[i]);
  return {};
}

}  // namespace

Status expandPalette(DecodeFile& f, const RawFrame& raw, uint8_t* rgb) {
  const PixelFormat& p = f.pf;
  if (raw.samples != 1) return makeError("dicom.unsupported_pixel", "PALETTE COLOR with more than one sample", f.path);
  if (f.ds->tagExists(DCM_SegmentedRedPaletteColorLookupTableData))
    return makeError("dicom.unsupported_pixel", "segmented palette lookup tables", f.path);
  std::array<Lut, 3> luts;
  CVX_TRY(readLut(f, DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData, luts[0]));
  CVX_TRY(readLut(f, DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData, luts[1]));
  CVX_TRY(readLut(f, DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData, luts[2]));
  const size_t n = pixelCount(p);
  const unsigned shift = raw.applyHighBit ? p.highBit + 1u - p.bitsStored : 0u;
  const uint32_t mask = (1u << p.bitsStored) - 1u, sign = 1u << (p.bitsStored - 1u);
  if (raw.data == rgb) return makeError("dicom.decode_failed", "palette expansion cannot run in place", f.path);
  for (size_t i = 0; i < n; ++i) {
    uint32_t u = 0;
    if (raw.sampleBytes == 1) u = raw.data[i];
    else { uint16_t w; std::memcpy(&w, raw.data + 2 * i, 2); u = w; }
    u = (u >> shift) & mask;
    const int32_t v = (p.isSigned && (u & sign)) ? static_cast<int32_t>(u) - static_cast<int32_t>(mask) - 1
                                                 : static_cast<int32_t>(u);
    for (int c = 0; c < 3; ++c) {
      const Lut& l = luts[static_cast<size_t>(c)];
      const int64_t idx = std::clamp<int64_t>(int64_t{v} - l.first, 0, static_cast<int64_t>(l.values.size()) - 1);
      rgb[3 * i + static_cast<size_t>(c)] = l.values[static_cast<size_t>(idx)];
    }
  }
  return {};
}

}  // namespace cvx::io::detail

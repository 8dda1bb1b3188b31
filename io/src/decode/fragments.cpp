// SPDX-License-Identifier: MIT
// Encapsulated Pixel Data (PS3.5 A.4): which fragments make up a frame. In order of trust: the
// Extended Offset Table, the Basic Offset Table, a single frame, one fragment per frame, and
// finally codestream start markers (JPEG SOI, JPEG 2000 SOC) at the start of a fragment.
#include <cstring>

#include <dcmtk/dcmdata/dcpxitem.h>

#include "decode/internal.h"

namespace cvx::io::detail {
namespace {

Status pixelSequence(DecodeFile& f) {
  if (f.seq) return {};
  E_TransferSyntax xfer = EXS_Unknown;
  const DcmRepresentationParameter* param = nullptr;
  f.pixels->getCurrentRepresentationKey(xfer, param);
  DcmPixelSequence* seq = nullptr;
  if (f.pixels->getEncapsulatedRepresentation(xfer, param, seq).bad() || !seq || seq->card() < 2)
    return makeError("dicom.decode_failed", "transfer syntax " + f.syntax + " needs encapsulated Pixel Data (fragments)",
                     f.path);
  f.seq = seq;
  return {};
}

DcmPixelItem* item(DecodeFile& f, uint32_t i) {
  DcmPixelItem* it = nullptr;
  return f.seq->getItem(it, i).good() ? it : nullptr;
}

// Frame offsets from the extended or basic offset table; empty when neither has one per frame.
std::vector<uint64_t> tableOffsets(DecodeFile& f) {
  std::vector<uint64_t> out;
  DcmElement* eot = nullptr;
  Uint64* v64 = nullptr;
  if (f.ds->findAndGetElement(DCM_ExtendedOffsetTable, eot, OFFalse).good() && eot &&
      eot->getLength() == 8ull * f.frames && eot->getUint64Array(v64).good() && v64) {
    out.assign(v64, v64 + f.frames);
    return out;
  }
  DcmPixelItem* bot = item(f, 0);
  Uint8* b = nullptr;
  if (!bot || bot->getLength() != 4ull * f.frames || bot->getUint8Array(b).bad() || !b) return out;
  out.resize(f.frames);
  for (uint32_t i = 0; i < f.frames; ++i) {
    uint32_t v;
    std::memcpy(&v, b + 4 * i, 4);  // little endian in every encapsulated syntax
    out[i] = v;
  }
  return out;
}

// Item indices of the given byte offsets (relative to the first fragment's item tag).
Status offsetsToItems(DecodeFile& f, const std::vector<uint64_t>& offsets, std::vector<uint32_t>& starts) {
  const uint32_t items = static_cast<uint32_t>(f.seq->card());
  uint64_t pos = 0;
  size_t next = 0;
  for (uint32_t i = 1; i < items && next < offsets.size(); ++i) {
    if (offsets[next] == pos) starts.push_back(i), ++next;
    DcmPixelItem* it = item(f, i);
    pos += 8 + (it ? it->getLength() : 0);
  }
  if (next != offsets.size())
    return makeError("dicom.decode_failed", "offset table points between fragments", f.path);
  return {};
}

bool startsCodestream(DecodeFile& f, uint32_t i) {
  DcmPixelItem* it = item(f, i);
  uint8_t m[2] = {0, 0};
  if (!it || it->getLength() < 2 || it->getPartialValue(m, 0, 2, &f.cache).bad()) return false;
  return m[0] == 0xFF && (m[1] == 0xD8 || m[1] == 0x4F);
}

Status mapFrames(DecodeFile& f) {
  const uint32_t items = static_cast<uint32_t>(f.seq->card());
  const uint32_t fragments = items - 1;
  std::vector<uint32_t>& s = f.frameStart;
  const std::vector<uint64_t> offsets = tableOffsets(f);
  if (!offsets.empty()) {
    CVX_TRY(offsetsToItems(f, offsets, s));
  } else if (f.frames == 1) {
    s.push_back(1);
  } else if (fragments == f.frames) {
    for (uint32_t i = 1; i < items; ++i) s.push_back(i);
  } else {
    for (uint32_t i = 1; i < items; ++i)
      if (startsCodestream(f, i)) s.push_back(i);
    if (s.size() != f.frames) {
      s.clear();
      return makeError("dicom.decode_failed",
                       std::to_string(fragments) + " fragments and no offset table for " + std::to_string(f.frames) +
                           " frames",
                       f.path);
    }
  }
  s.push_back(items);
  return {};
}

}  // namespace

Status frameFragments(DecodeFile& f, uint32_t frame, uint32_t& first, uint32_t& last) {
  CVX_TRY(pixelSequence(f));
  if (f.frameStart.empty()) CVX_TRY(mapFrames(f));
  if (frame + 1 >= f.frameStart.size()) return makeError("dicom.bad_frame", "frame beyond the fragments", f.path);
  first = f.frameStart[frame];
  last = f.frameStart[frame + 1] - 1;
  if (last < first) return makeError("dicom.decode_failed", "frame without fragments", f.path);
  return {};
}

Status readFrameBytes(DecodeFile& f, uint32_t frame, std::vector<uint8_t>& out) {
  uint32_t first = 0, last = 0;
  CVX_TRY(frameFragments(f, frame, first, last));
  uint64_t total = 0;
  for (uint32_t i = first; i <= last; ++i) {
    DcmPixelItem* it = item(f, i);
    if (!it) return makeError("dicom.decode_failed", "missing fragment", f.path);
    total += it->getLength();
  }
  if (total > (uint64_t{1} << 31)) return makeError("dicom.decode_failed", "frame larger than 2 GiB", f.path);
  out.resize(static_cast<size_t>(total));
  size_t pos = 0;
  for (uint32_t i = first; i <= last; ++i) {
    DcmPixelItem* it = item(f, i);
    const Uint32 len = it->getLength();
    if (len && it->getPartialValue(out.data() + pos, 0, len, &f.cache).bad())
      return makeError("dicom.truncated", "fragment " + std::to_string(i) + " extends past the end of the file", f.path);
    pos += len;
  }
  return {};
}

}  // namespace cvx::io::detail

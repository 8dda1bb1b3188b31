#include "dicom/fast_parse.h"

#include "dicom/number.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace cvx::io::detail::fast {
namespace {

constexpr uint32_t kItem = 0xFFFEE000u, kItemEnd = 0xFFFEE00Du, kSeqEnd = 0xFFFEE0DDu;
constexpr uint32_t kPixelData = 0x7FE00010u, kRadioSeq = 0x00540016u;
constexpr int kMaxDepth = 12;

bool longVr(const char* vr) {
  static const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
  return std::any_of(std::begin(kLong), std::end(kLong), [&](const char* v) { return vr[0] == v[0] && vr[1] == v[1]; });
}

// VR of the binary attributes the header fill reads, for implicit VR files.
void implicitVr(uint32_t tag, char* vr) {
  switch (tag) {
    case 0x00280002: case 0x00280006: case 0x00280010: case 0x00280011:
    case 0x00280100: case 0x00280101: case 0x00280102: case 0x00280103:
      vr[0] = 'U', vr[1] = 'S';
      return;
    default:
      vr[0] = vr[1] = 0;
  }
}

bool skipItems(Reader& r, int depth);

// Skips a data set inside an item of undefined length, up to and including the item delimiter.
bool skipUntilItemEnd(Reader& r, int depth) {
  Element e;
  while (readElementHeader(r, e)) {
    if (e.tag == kItemEnd) return true;
    if (e.length == kUndefined) {
      if (!skipItems(r, depth + 1)) return false;
    } else {
      if (!r.has(e.length)) return false;
      r.pos += e.length;
    }
  }
  return false;
}

// Skips the items of a sequence (or encapsulated fragments) of undefined length.
bool skipItems(Reader& r, int depth) {
  if (depth > kMaxDepth) return false;
  Element e;
  while (readElementHeader(r, e)) {
    if (e.tag == kSeqEnd) return true;
    if (e.tag != kItem) return false;
    if (e.length == kUndefined) {
      if (!skipUntilItemEnd(r, depth)) return false;
    } else {
      if (!r.has(e.length)) return false;
      r.pos += e.length;
    }
  }
  return false;
}

// Parses the elements of one item into out (for the radiopharmaceutical sequence).
bool parseItemInto(Reader& r, uint32_t length, Attrs& out, int depth) {
  const size_t end = length == kUndefined ? r.n : r.pos + length;
  if (length != kUndefined && !r.has(length)) return false;
  Element e;
  while (r.pos < end && readElementHeader(r, e)) {
    if (e.tag == kItemEnd) return length == kUndefined;
    if (e.length == kUndefined) {
      if (!skipItems(r, depth + 1)) return false;
      continue;
    }
    if (!r.has(e.length)) return false;
    out.items.push_back({e.tag, Value{{e.vr[0], e.vr[1]}, r.b + r.pos, e.length}});
    r.pos += e.length;
  }
  return r.pos == end;
}

// The first item of a sequence goes into out; the rest is skipped.
bool parseFirstItem(Reader& r, const Element& seq, Attrs& out) {
  const size_t end = seq.length == kUndefined ? r.n : r.pos + seq.length;
  if (seq.length != kUndefined && !r.has(seq.length)) return false;
  Element e;
  bool first = true;
  while (r.pos < end && readElementHeader(r, e)) {
    if (e.tag == kSeqEnd) return seq.length == kUndefined;
    if (e.tag != kItem) return false;
    if (first) {
      if (!parseItemInto(r, e.length, out, 1)) return false;
      first = false;
    } else if (e.length == kUndefined) {
      if (!skipUntilItemEnd(r, 1)) return false;
    } else {
      if (!r.has(e.length)) return false;
      r.pos += e.length;
    }
  }
  return r.pos == end;
}

}  // namespace

bool explicitVrAt(const uint8_t* b, size_t n, size_t pos) {
  static const char* kVrs[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF",
                               "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
                               "UR", "US", "UT", "UV"};
  if (pos > n || n - pos < 8) return false;
  const uint8_t* v = b + pos + 4;
  return std::any_of(std::begin(kVrs), std::end(kVrs), [&](const char* k) { return v[0] == k[0] && v[1] == k[1]; });
}

bool readElementHeader(Reader& r, Element& e) {
  if (!r.has(8)) return false;
  const size_t p = r.pos;
  e.tag = (static_cast<uint32_t>(r.u16(p)) << 16) | r.u16(p + 2);
  if ((e.tag >> 16) == 0xFFFE) {  // items and delimiters: no VR
    e.vr[0] = e.vr[1] = 0;
    e.length = r.u32(p + 4);
    r.pos = p + 8;
  } else if (r.explicitVr || (e.tag >> 16) == 0x0002) {
    e.vr[0] = static_cast<char>(r.b[p + 4]);
    e.vr[1] = static_cast<char>(r.b[p + 5]);
    if (e.vr[0] < 'A' || e.vr[0] > 'Z' || e.vr[1] < 'A' || e.vr[1] > 'Z') return false;
    if (longVr(e.vr)) {
      if (!r.has(12)) return false;
      e.length = r.u32(p + 8);
      r.pos = p + 12;
    } else {
      e.length = r.u16(p + 6);
      r.pos = p + 8;
    }
  } else {
    implicitVr(e.tag, e.vr);
    e.length = r.u32(p + 4);
    r.pos = p + 8;
  }
  e.valuePos = r.pos;
  return true;
}

bool parseMeta(Reader& r, Attrs& out) {
  Element e;
  for (;;) {
    const size_t start = r.pos;
    if (!r.has(8)) return false;
    if (r.u16(start) != 0x0002) return true;  // end of the meta group
    if (!readElementHeader(r, e) || e.length == kUndefined || !r.has(e.length)) return false;
    out.items.push_back({e.tag, Value{{e.vr[0], e.vr[1]}, r.b + r.pos, e.length}});
    r.pos += e.length;
  }
}

bool parseDataset(Reader& r, Attrs& out, PixelInfo& pixel) {
  Element e;
  uint32_t last = 0;
  while (readElementHeader(r, e)) {
    if (e.tag < last) return false;  // not in ascending order: DCMTK handles it
    last = e.tag;
    if (e.tag == kPixelData) {
      pixel.found = true;
      pixel.definedLength = e.length != kUndefined;
      pixel.offset = r.pos;
      pixel.length = pixel.definedLength ? e.length : 0;
      return true;
    }
    if ((e.tag >> 16) == 0xFFFE) return false;
    const bool sequence = (e.vr[0] == 'S' && e.vr[1] == 'Q') || e.length == kUndefined;
    if (e.tag == kRadioSeq) {
      out.radio.emplace_back();
      if (!parseFirstItem(r, e, out.radio.back())) return false;
      out.items.push_back({e.tag, Value{{'S', 'Q'}, nullptr, 0}});
      continue;
    }
    if (sequence && e.length == kUndefined) {
      if (!skipItems(r, 0)) return false;
      out.items.push_back({e.tag, Value{{'S', 'Q'}, nullptr, 0}});
      continue;
    }
    if (!r.has(e.length)) return false;
    out.items.push_back({e.tag, Value{{e.vr[0], e.vr[1]}, r.b + r.pos, e.length}});
    r.pos += e.length;
  }
  return true;  // ran out of bytes before Pixel Data: pixel.found stays false
}

const Value* Attrs::find(uint32_t tag) const {
  for (const auto& [t, v] : items)
    if (t == tag) return &v;
  return nullptr;
}

std::string Access::str(const DcmTagKey& tag) const {
  const Value* v = a ? a->find((static_cast<uint32_t>(tag.getGroup()) << 16) | tag.getElement()) : nullptr;
  if (!v || !v->p) return {};
  std::string s(reinterpret_cast<const char*>(v->p), v->len);
  const auto b = s.find_first_not_of(std::string(" \0", 2));
  const auto e = s.find_last_not_of(std::string(" \0", 2));
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<double> Access::num(const DcmTagKey& tag, unsigned long pos) const {
  const Value* v = a ? a->find((static_cast<uint32_t>(tag.getGroup()) << 16) | tag.getElement()) : nullptr;
  if (!v || !v->p) return std::nullopt;
  const std::string vr(v->vr, 2);
  auto bin = [&](size_t size) -> const uint8_t* {
    return (pos + 1) * size <= v->len ? v->p + pos * size : nullptr;
  };
  double out = 0;
  if (vr == "US") {
    const uint8_t* q = bin(2);
    if (!q) return std::nullopt;
    out = q[0] | (q[1] << 8);
  } else if (vr == "SS") {
    const uint8_t* q = bin(2);
    if (!q) return std::nullopt;
    out = static_cast<int16_t>(q[0] | (q[1] << 8));
  } else if (vr == "UL" || vr == "SL" || vr == "FL" || vr == "FD" || vr == "OB" || vr == "OW" || vr == "SQ") {
    return std::nullopt;  // not read through this path (the fill only reads US/SS and strings)
  } else {
    const std::string s(reinterpret_cast<const char*>(v->p), v->len);
    size_t start = 0;
    for (unsigned long k = 0; k < pos; ++k) {
      start = s.find('\\', start);
      if (start == std::string::npos) return std::nullopt;
      ++start;
    }
    const auto num = parseNumber(std::string_view(s).substr(start, s.find('\\', start) - start));
    if (!num) return std::nullopt;
    out = *num;
  }
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

std::optional<Access> Access::item(const DcmTagKey& seq) const {
  if (!a || a->radio.empty() || (static_cast<uint32_t>(seq.getGroup()) << 16 | seq.getElement()) != kRadioSeq)
    return std::nullopt;
  return Access{&a->radio.front()};
}

}  // namespace cvx::io::detail::fast

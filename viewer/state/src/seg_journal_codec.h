// SPDX-License-Identifier: MIT
// Internal to the journal (seg_journal.cpp writes, seg_journal_recover.cpp reads): the byte
// layout's primitives and the segment table's encoding.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>

namespace cvx::view::journal {

inline constexpr char kMagic[8] = {'C', 'V', 'X', 'S', 'E', 'G', 'J', '\0'};
inline constexpr uint32_t kRecordMark = 0x52585643u;  // "CVXR"

struct Writer {
  std::vector<uint8_t> b;
  template <class T>
  void put(T v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    b.insert(b.end(), p, p + sizeof(T));
  }
  void str(const std::string& s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
  }
  void bytes(const std::vector<uint8_t>& v) {
    put<uint32_t>(static_cast<uint32_t>(v.size()));
    b.insert(b.end(), v.begin(), v.end());
  }
};

struct Reader {
  const uint8_t* p;
  size_t n, at = 0;
  bool ok = true;
  template <class T>
  T get() {
    T v{};
    if (n - at < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, p + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  std::string str() {
    const uint32_t len = get<uint32_t>();
    if (!ok || n - at < len) return ok = false, std::string();
    std::string s(reinterpret_cast<const char*>(p + at), len);
    at += len;
    return s;
  }
  // A span of len bytes; nullptr (and !ok) when the input is shorter.
  const uint8_t* span(size_t len) {
    if (!ok || n - at < len) return ok = false, nullptr;
    const uint8_t* s = p + at;
    at += len;
    return s;
  }
};

inline void putVec(Writer& w, Vec3 v) { w.put(v.x), w.put(v.y), w.put(v.z); }
inline Vec3 getVec(Reader& r) {
  Vec3 v;
  v.x = r.get<double>(), v.y = r.get<double>(), v.z = r.get<double>();
  return v;
}
inline void putTerm(Writer& w, const CodedTerm& t) { w.str(t.value), w.str(t.scheme), w.str(t.meaning); }
inline CodedTerm getTerm(Reader& r) {
  CodedTerm t;
  t.value = r.str(), t.scheme = r.str(), t.meaning = r.str();
  return t;
}

inline void putSegments(Writer& w, const std::vector<Segment>& segs) {
  w.put<uint32_t>(static_cast<uint32_t>(segs.size()));
  for (const Segment& s : segs) {
    w.str(s.name);
    for (uint8_t c : s.rgb) w.put(c);
    putTerm(w, s.category), putTerm(w, s.type), putTerm(w, s.algorithmFamily);
    w.put(static_cast<uint8_t>(s.algorithm));
    w.str(s.algorithmName), w.str(s.algorithmVersion);
    w.put(s.number), w.put(s.layer), w.put(s.label);
  }
}
inline std::vector<Segment> getSegments(Reader& r) {
  std::vector<Segment> segs;
  const uint32_t n = r.get<uint32_t>();
  for (uint32_t i = 0; i < n && r.ok; ++i) {
    Segment s;
    s.name = r.str();
    for (uint8_t& c : s.rgb) c = r.get<uint8_t>();
    s.category = getTerm(r), s.type = getTerm(r), s.algorithmFamily = getTerm(r);
    s.algorithm = static_cast<SegmentAlgorithm>(std::min<uint8_t>(r.get<uint8_t>(), 2));
    s.algorithmName = r.str(), s.algorithmVersion = r.str();
    s.number = r.get<uint16_t>(), s.layer = r.get<uint32_t>(), s.label = r.get<uint8_t>();
    segs.push_back(std::move(s));
  }
  return segs;
}

}  // namespace cvx::view::journal

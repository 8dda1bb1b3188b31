// SPDX-License-Identifier: MIT
// NRRD header text: magic, "field: value" lines, comments, the blank line before inline data.
#include <algorithm>
#include <cstring>

#include "formats/nrrd.h"

namespace cvx::io::fmt {

namespace {
constexpr size_t kMaxHeader = size_t{1} << 20;
constexpr size_t kMaxLine = size_t{1} << 16;
}  // namespace

Result<NrrdHeader> parseNrrdHeader(const Bytes& bytes, bool detached, const std::string& ctx) {
  const char* text = reinterpret_cast<const char*>(bytes.data());
  const size_t n = std::min(bytes.size(), kMaxHeader);
  if (n < 8 || std::memcmp(text, "NRRD000", 7) != 0 || text[7] < '1' || text[7] > '5')
    return makeError("format.bad_header", "not a NRRD file (magic NRRD0001..5 missing)", ctx);
  NrrdHeader h;
  size_t pos = 0;
  bool first = true, ended = false;
  while (pos < n) {
    const char* nl = static_cast<const char*>(std::memchr(text + pos, '\n', n - pos));
    const size_t end = nl ? static_cast<size_t>(nl - text) : n;
    if (end - pos > kMaxLine) return makeError("format.bad_header", "NRRD header line too long", ctx);
    std::string_view line(text + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl ? end + 1 : n;
    if (first) { first = false; continue; }
    if (line.empty()) { ended = true; break; }
    if (line.front() == '#') continue;
    const size_t kv = line.find(":=");
    if (kv != std::string_view::npos) continue;  // key/value pairs: not needed
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos)
      return makeError("format.bad_header", "NRRD line without ': ' (" + std::string(line.substr(0, 40)) + ")", ctx);
    h.fields[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 2)));
  }
  if (!ended && !detached)
    return makeError(bytes.size() > kMaxHeader ? "format.bad_header" : "format.truncated",
                     "NRRD header has no blank line before the data", ctx);
  h.dataOffset = pos;
  return h;
}

bool parseNrrdVectors(const std::string& s, std::vector<std::vector<double>>& out) {
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') { ++i; continue; }
    if (s[i] == '(') {
      const size_t close = s.find(')', i);
      if (close == std::string::npos) return false;
      std::vector<double> v;
      if (!parseDoubles(std::string_view(s).substr(i + 1, close - i - 1), v) || v.empty()) return false;
      out.push_back(std::move(v));
      i = close + 1;
    } else {
      size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
      if (lower(std::string_view(s).substr(i, j - i)) != "none") return false;
      out.emplace_back();
      i = j;
    }
  }
  return true;
}

bool nrrdType(const std::string& name, FileType& out) {
  static const std::pair<const char*, FileType> table[] = {
      {"uchar", FileType::U8}, {"unsigned char", FileType::U8}, {"uint8", FileType::U8},
      {"uint8_t", FileType::U8}, {"signed char", FileType::I8}, {"int8", FileType::I8},
      {"int8_t", FileType::I8}, {"short", FileType::I16}, {"short int", FileType::I16},
      {"signed short", FileType::I16}, {"signed short int", FileType::I16}, {"int16", FileType::I16},
      {"int16_t", FileType::I16}, {"ushort", FileType::U16}, {"unsigned short", FileType::U16},
      {"unsigned short int", FileType::U16}, {"uint16", FileType::U16}, {"uint16_t", FileType::U16},
      {"int", FileType::I32}, {"signed int", FileType::I32}, {"int32", FileType::I32},
      {"int32_t", FileType::I32}, {"uint", FileType::U32}, {"unsigned int", FileType::U32},
      {"uint32", FileType::U32}, {"uint32_t", FileType::U32}, {"float", FileType::F32},
      {"double", FileType::F64}};
  const std::string l = lower(name);
  for (const auto& [key, type] : table)
    if (l == key) {
      out = type;
      return true;
    }
  return false;
}

}  // namespace cvx::io::fmt

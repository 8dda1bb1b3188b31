// SPDX-License-Identifier: MIT
// Small text helpers for the key/value headers of NRRD and MetaImage.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "formats/internal.h"

namespace cvx::io::fmt {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

namespace {
// Splits on whitespace, commas and parentheses (NRRD vectors are "(a,b,c)").
template <class F>
bool forEachToken(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == ',' ||
                            s[i] == '(' || s[i] == ')'))
      ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != ',' &&
           s[j] != '(' && s[j] != ')')
      ++j;
    if (j > i && !f(s.substr(i, j - i))) return false;
    i = j;
  }
  return true;
}
}  // namespace

bool parseDoubles(std::string_view s, std::vector<double>& out) {
  out.clear();
  return forEachToken(s, [&](std::string_view tok) {
    if (tok.size() > 64) return false;
    const std::string t(tok);
    const std::string l = lower(t);
    if (l == "nan") { out.push_back(std::nan("")); return true; }
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) return false;
    out.push_back(v);
    return true;
  });
}

bool parseInt64s(std::string_view s, std::vector<int64_t>& out) {
  out.clear();
  return forEachToken(s, [&](std::string_view tok) {
    int64_t v = 0;
    const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (r.ec != std::errc{} || r.ptr != tok.data() + tok.size()) return false;
    out.push_back(v);
    return true;
  });
}

std::string fmtDouble(double v) {
  if (v == 0) return "0";  // also turns -0 into 0
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Prefer the shortest form that reads back identically.
  for (int p = 6; p < 17; ++p) {
    char s[32];
    std::snprintf(s, sizeof s, "%.*g", p, v);
    if (std::strtod(s, nullptr) == v) return s;
  }
  return buf;
}

std::string dirOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}

std::string joinPath(const std::string& dir, const std::string& name) {
  if (!name.empty() && name.front() == '/') return name;
  return dir + "/" + name;
}

}  // namespace cvx::io::fmt

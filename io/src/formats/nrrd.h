// SPDX-License-Identifier: MIT
// A parsed NRRD header (the fields CineVox reads; see teem's format description).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "formats/internal.h"

namespace cvx::io::fmt {

struct NrrdHeader {
  std::map<std::string, std::string> fields;  // lower-case key -> value
  size_t dataOffset = 0;                      // first byte after the header's blank line
};

// Parses the text header at the start of `bytes`; `detached` (.nhdr) lets it end at EOF.
Result<NrrdHeader> parseNrrdHeader(const Bytes& bytes, bool detached, const std::string& ctx);
// "(a,b,c) none (d,e,f)" -> one entry per axis; empty vector for "none".
bool parseNrrdVectors(const std::string& s, std::vector<std::vector<double>>& out);
bool nrrdType(const std::string& name, FileType& out);

}  // namespace cvx::io::fmt

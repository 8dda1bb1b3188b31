// SPDX-License-Identifier: MIT
// Canonical Huffman tables (T.81 Annex C) with a combined code + extra-bits lookup.
#include "codec/jpeg_huffman.h"

namespace cvx::io::codec::detail {
namespace {

void fillFast(HuffTable& t, int len, uint32_t code, uint8_t sym) {
  constexpr int K = HuffTable::kLookupBits;
  const uint32_t first = code << (K - len);
  const uint32_t count = 1u << (K - len);
  for (uint32_t i = 0; i < count; ++i) {
    HuffTable::Fast& f = t.fast[first + i];
    f = {};
    f.codeLen = uint8_t(len);
    f.sym = sym;
    if (sym > 16) continue;  // invalid in lossless: the slow path reports it
    if (sym == 0 || sym == 16) {
      f.total = uint8_t(len);
      f.diff = sym == 0 ? 0 : 32768;
    } else if (len + sym <= K) {
      const uint32_t v = (i >> (K - len - sym)) & ((1u << sym) - 1u);
      f.total = uint8_t(len + sym);
      f.diff = extendDiff(v, sym);
    }
  }
}

}  // namespace

bool buildHuffTable(const uint8_t counts[16], const uint8_t* vals, size_t nvals, HuffTable& t) {
  size_t total = 0;
  for (int i = 0; i < 16; ++i) total += counts[i];
  if (total == 0 || total > 256 || total > nvals) return false;
  for (auto& f : t.fast) f = {};
  std::memcpy(t.vals, vals, total);
  uint32_t code = 0;
  size_t k = 0;
  for (int len = 1; len <= 16; ++len) {
    t.maxCode[len] = -1;
    t.valOffset[len] = int32_t(k) - int32_t(code);
    for (int i = 0; i < counts[len - 1]; ++i, ++k, ++code) {
      if (code >= (1u << len)) return false;  // more codes than this length can hold
      if (len <= HuffTable::kLookupBits) fillFast(t, len, code, t.vals[k]);
      t.maxCode[len] = int32_t(code);
    }
    code <<= 1;
  }
  t.maxCode[0] = -1;
  t.valOffset[0] = 0;
  t.defined = true;
  return true;
}

}  // namespace cvx::io::codec::detail

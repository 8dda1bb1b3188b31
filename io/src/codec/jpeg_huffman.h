// SPDX-License-Identifier: MIT
// JPEG lossless internals: the bounded bit reader and the table-driven Huffman decoder.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace cvx::io::codec::detail {

// A Huffman table of the lossless process. `fast` maps the next kLookupBits bits to the decoded
// difference when code and extra bits fit (total > 0), else to the code alone (codeLen > 0), else
// to the slow canonical search (codes longer than kLookupBits).
struct HuffTable {
  static constexpr int kLookupBits = 11;
  struct Fast {
    int32_t diff = 0;
    uint8_t total = 0;    // code length + extra bits, 0 when not resolved here
    uint8_t codeLen = 0;  // code length when the code fits but its extra bits do not
    uint8_t sym = 0;
    uint8_t pad = 0;
  };
  Fast fast[1 << kLookupBits];
  int32_t maxCode[17];    // largest code of each length, -1 when none
  int32_t valOffset[17];  // index into vals of a code of that length, minus the code
  uint8_t vals[256];
  bool defined = false;
};

// Builds the tables from a DHT's 16 counts and its values; false when the counts overflow the
// code space or exceed the values given.
bool buildHuffTable(const uint8_t counts[16], const uint8_t* vals, size_t nvals, HuffTable& t);

// Sign extension of `s` extra bits (T.81 F.2.2.1, EXTEND).
inline int32_t extendDiff(uint32_t v, int s) {
  return v < (1u << (s - 1)) ? int32_t(v) - int32_t((1u << s) - 1) : int32_t(v);
}

// Bit reader over entropy-coded data: 64-bit refills, 0xFF00 unstuffing, and zero bits past a
// marker or the buffer end that are counted so that consuming them is detected (overrun()).
class BitReader {
 public:
  BitReader(const uint8_t* pos, const uint8_t* end) : pos_(pos), end_(end) {}

  [[gnu::always_inline]] void refill() {
    if (!stop_ && end_ - pos_ >= 8) {
      uint64_t w;
      std::memcpy(&w, pos_, 8);
      w = __builtin_bswap64(w);
      const uint64_t inv = ~w;  // a 0xFF byte in w is a zero byte in inv
      if (((inv - 0x0101010101010101ull) & ~inv & 0x8080808080808080ull) == 0) {
        const int k = (64 - nbits_) >> 3;  // whole bytes that fit
        acc_ |= (w >> (64 - 8 * k)) << (64 - 8 * k - nbits_);
        nbits_ += 8 * k;
        pos_ += k;
        return;
      }
    }
    *this = refilledSlowly(*this);
  }

  // Guarantees at least 32 buffered bits (real or padding).
  void ensure32() {
    if (nbits_ < 32) refill();
  }
  uint32_t peek(int n) const { return uint32_t(acc_ >> (64 - n)); }
  void skip(int n) {
    acc_ <<= n;
    nbits_ -= n;
  }
  // True once bits past a marker or the end of the data were consumed.
  bool overrun() const { return fake_ > nbits_; }
  // Drops the buffered bits and returns where the unread bytes begin (for restart markers).
  const uint8_t* resetAt() {
    acc_ = 0;
    nbits_ = 0;
    fake_ = 0;
    stop_ = false;
    return pos_;
  }
  void seek(const uint8_t* p) { pos_ = p; }

 private:
  // Out of line and by value: the caller's copy never escapes, so it can stay in registers.
  [[gnu::noinline]] static BitReader refilledSlowly(BitReader r) {
    r.refillSlow();
    return r;
  }
  void refillSlow() {
    while (nbits_ <= 56) {
      uint32_t b = 0;
      if (!stop_ && pos_ < end_) {
        b = *pos_;
        if (b != 0xFF) {
          ++pos_;
        } else if (end_ - pos_ >= 2 && pos_[1] == 0x00) {
          pos_ += 2;
        } else {
          stop_ = true;  // a marker (or a lone 0xFF at the end): stay on it
          b = 0;
        }
      } else {
        stop_ = true;
      }
      if (stop_) fake_ += 8;
      acc_ |= uint64_t(b) << (56 - nbits_);
      nbits_ += 8;
    }
  }

  uint64_t acc_ = 0;
  int nbits_ = 0;
  int fake_ = 0;  // padding bits at the tail of acc_
  bool stop_ = false;
  const uint8_t* pos_;
  const uint8_t* end_;
};

// The symbol of a code longer than kLookupBits (canonical search over the next 16 bits `bits16`);
// -1 when no code matches. Out of line: such codes are rare.
[[gnu::noinline]] inline int slowSymbol(const HuffTable& t, uint32_t bits16, int& len) {
  for (len = HuffTable::kLookupBits + 1; len <= 16; ++len) {
    const int32_t code = int32_t(bits16 >> (16 - len));
    if (code <= t.maxCode[len]) return t.vals[(t.valOffset[len] + code) & 0xFF];
  }
  len = 0;
  return -1;
}

// Decodes one difference; on an invalid code sets `bad` and returns 0. After ensure32() the
// reader holds at least 32 bits, enough for a code (<= 16) and its extra bits (<= 15).
[[gnu::always_inline]] inline int32_t decodeDiff(BitReader& br, const HuffTable& t, bool& bad) {
  br.ensure32();
  const HuffTable::Fast& f = t.fast[br.peek(HuffTable::kLookupBits)];
  if (f.total) {
    br.skip(f.total);
    return f.diff;
  }
  int len = f.codeLen;
  const int sym = len ? f.sym : slowSymbol(t, br.peek(16), len);
  if (sym < 0 || sym > 16) {
    bad = true;
    return 0;
  }
  br.skip(len);
  if (sym == 0) return 0;
  if (sym == 16) return 32768;
  const uint32_t v = br.peek(sym);
  br.skip(sym);
  return extendDiff(v, sym);
}

}  // namespace cvx::io::codec::detail

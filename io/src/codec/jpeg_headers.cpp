// SPDX-License-Identifier: MIT
// Bounded parsing of the JPEG marker segments that precede a lossless scan (T.81 Annex B).
#include "codec/jpeg_headers.h"

#include <string>

namespace cvx::io::codec::detail {
namespace {

Error fail(const char* code, const std::string& msg) { return makeError(code, msg, "jpeg"); }

uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

Status parseSof3(const uint8_t* s, size_t len, JpegHeaders& h) {
  if (len < 6) return fail("jpeg.bad_marker", "SOF3 segment too short");
  JpegInfo& in = h.info;
  in.precision = s[0];
  in.rows = be16(s + 1);
  in.cols = be16(s + 3);
  in.components = s[5];
  if (in.precision < 2 || in.precision > 16)
    return fail("jpeg.unsupported", "precision " + std::to_string(in.precision));
  if (in.rows == 0) return fail("jpeg.unsupported", "zero rows (DNL) not supported");
  if (in.cols == 0) return fail("jpeg.bad_marker", "zero columns");
  if (in.components != 1 && in.components != 3)
    return fail("jpeg.unsupported", std::to_string(in.components) + " components");
  if (len < 6 + 3u * in.components) return fail("jpeg.bad_marker", "SOF3 segment too short");
  for (int c = 0; c < in.components; ++c) {
    h.componentIds[c] = s[6 + 3 * c];
    if (s[7 + 3 * c] != 0x11) return fail("jpeg.unsupported", "subsampled components");
  }
  return {};
}

Status parseDht(const uint8_t* s, size_t len, JpegHeaders& h) {
  size_t i = 0;
  while (i < len) {
    if (len - i < 17) return fail("jpeg.bad_huffman", "DHT segment too short");
    const uint8_t tc = s[i] >> 4, th = s[i] & 15;
    if (tc != 0) return fail("jpeg.unsupported", "AC Huffman table in a lossless stream");
    if (th > 3) return fail("jpeg.bad_huffman", "Huffman table id > 3");
    const uint8_t* counts = s + i + 1;
    size_t n = 0;
    for (int k = 0; k < 16; ++k) n += counts[k];
    if (n > len - i - 17) return fail("jpeg.bad_huffman", "DHT values past the segment");
    if (!buildHuffTable(counts, s + i + 17, n, h.tables[th]))
      return fail("jpeg.bad_huffman", "invalid Huffman code lengths");
    i += 17 + n;
  }
  return {};
}

Status parseSos(const uint8_t* s, size_t len, JpegHeaders& h) {
  JpegInfo& in = h.info;
  if (in.components == 0) return fail("jpeg.bad_marker", "SOS before SOF3");
  if (len < 1 || len < 4u + 2u * s[0]) return fail("jpeg.bad_marker", "SOS segment too short");
  const int ns = s[0];
  if (ns != in.components) return fail("jpeg.unsupported", "scan does not hold every component");
  bool seen[4] = {};
  for (int k = 0; k < ns; ++k) {
    int c = 0;
    while (c < in.components && h.componentIds[c] != s[1 + 2 * k]) ++c;
    if (c == in.components || seen[c]) return fail("jpeg.bad_marker", "bad scan component");
    seen[c] = true;
    h.scanTable[c] = s[2 + 2 * k] >> 4;
    if (h.scanTable[c] > 3 || !h.tables[h.scanTable[c]].defined)
      return fail("jpeg.bad_huffman", "scan uses an undefined Huffman table");
  }
  const uint8_t* t = s + 1 + 2 * ns;
  in.predictor = t[0];
  in.pointTransform = t[2] & 15;
  if (in.predictor == 0) return fail("jpeg.unsupported", "predictor 0 (hierarchical)");
  if (in.predictor > 7) return fail("jpeg.bad_marker", "predictor > 7");
  if (in.pointTransform >= in.precision) return fail("jpeg.bad_marker", "point transform >= precision");
  if (in.restartInterval && in.restartInterval % in.cols)
    return fail("jpeg.unsupported", "restart interval is not a whole number of rows");
  return {};
}

// Markers that announce a coding process or feature other than lossless Huffman (T.81 B.1.1.3).
bool isUnsupportedMarker(uint8_t m) {
  return (m >= 0xC0 && m <= 0xCF && m != 0xC3 && m != 0xC4) || m == 0xDC || m == 0xDE || m == 0xDF;
}

}  // namespace

Status parseJpegHeaders(const uint8_t* data, size_t size, JpegHeaders& h) {
  if (!data || size < 2) return fail("jpeg.truncated", "no SOI");
  if (data[0] != 0xFF || data[1] != 0xD8) return fail("jpeg.bad_marker", "stream does not start with SOI");
  size_t p = 2;
  bool sof = false;
  for (;;) {
    while (p < size && data[p] == 0xFF && p + 1 < size && data[p + 1] == 0xFF) ++p;  // fill bytes
    if (size - p < 2) return fail("jpeg.truncated", "stream ends before the scan");
    if (data[p] != 0xFF) return fail("jpeg.bad_marker", "expected a marker");
    const uint8_t m = data[p + 1];
    p += 2;
    if (m == 0x01) continue;  // TEM: no segment
    if (m == 0x00 || (m >= 0xD0 && m <= 0xD9))
      return fail("jpeg.bad_marker", "unexpected marker before the scan");
    if (isUnsupportedMarker(m)) return fail("jpeg.unsupported", "not a lossless Huffman (process 14) stream");
    if (size - p < 2) return fail("jpeg.truncated", "segment length past the end");
    const size_t len = be16(data + p);
    if (len < 2) return fail("jpeg.bad_marker", "segment length < 2");
    if (len > size - p) return fail("jpeg.truncated", "segment past the end");
    const uint8_t* s = data + p + 2;
    const size_t n = len - 2;
    p += len;
    Status st;
    if (m == 0xC3) {
      if (sof) return fail("jpeg.bad_marker", "second SOF");
      sof = true;
      st = parseSof3(s, n, h);
    } else if (m == 0xC4) {
      st = parseDht(s, n, h);
    } else if (m == 0xDD) {
      if (n < 2) return fail("jpeg.bad_marker", "DRI segment too short");
      h.info.restartInterval = be16(s);
    } else if (m == 0xDA) {
      CVX_TRY(parseSos(s, n, h));
      h.entropyStart = p;
      return {};
    }
    if (!st.ok()) return st.error();
  }
}

}  // namespace cvx::io::codec::detail

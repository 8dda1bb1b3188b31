// SPDX-License-Identifier: MIT
// JPEG lossless decoding (T.81 Annex H): predictors 1-7, point transform, restart intervals.
#include "codec/jpeg_lossless.h"

#include <memory>
#include <string>

#include "codec/jpeg_headers.h"

namespace cvx::io::codec {
namespace {

using detail::BitReader;
using detail::HuffTable;

// Prediction of T.81 table H.1 from the left (ra), upper (rb) and upper-left (rc) samples.
template <int Pred>
inline int32_t predict(int32_t ra, int32_t rb, int32_t rc) {
  if constexpr (Pred == 1) return ra;
  if constexpr (Pred == 2) return rb;
  if constexpr (Pred == 3) return rc;
  if constexpr (Pred == 4) return ra + rb - rc;
  if constexpr (Pred == 5) return ra + ((rb - rc) >> 1);
  if constexpr (Pred == 6) return rb + ((ra - rc) >> 1);
  return (ra + rb) >> 1;
}

// Decodes one row of NC interleaved components. `prev` is the row above, or null on the first
// row of the scan or of a restart interval (then the left neighbour predicts, and `init` the first).
template <int Pred, int NC>
[[gnu::always_inline]] inline void decodeRowWith(BitReader& br, const HuffTable* const* tab, uint16_t* row,
                                                 const uint16_t* prev, int cols, int32_t init, bool& bad) {
  for (int c = 0; c < NC; ++c)
    row[c] = uint16_t((prev ? prev[c] : init) + detail::decodeDiff(br, *tab[c], bad));
  if (!prev) {
    for (int i = NC; i < cols * NC; i += NC)
      for (int c = 0; c < NC; ++c)
        row[i + c] = uint16_t(row[i + c - NC] + detail::decodeDiff(br, *tab[c], bad));
    return;
  }
  for (int i = NC; i < cols * NC; i += NC)
    for (int c = 0; c < NC; ++c) {
      const int k = i + c;
      const int32_t px = predict<Pred>(row[k - NC], prev[k], prev[k - NC]);
      row[k] = uint16_t(px + detail::decodeDiff(br, *tab[c], bad));
    }
}

template <int Pred, int NC>
void decodeRow(BitReader& reader, const HuffTable* const* tab, uint16_t* row, const uint16_t* prev,
               int cols, int32_t init, bool& bad) {
  BitReader br = reader;  // a local copy, so that the compiler keeps its fields in registers
  decodeRowWith<Pred, NC>(br, tab, row, prev, cols, init, bad);
  reader = br;
}

using RowFn = void (*)(BitReader&, const HuffTable* const*, uint16_t*, const uint16_t*, int, int32_t,
                       bool&);

template <int NC>
RowFn rowFunction(int predictor) {
  switch (predictor) {
    case 1: return decodeRow<1, NC>;
    case 2: return decodeRow<2, NC>;
    case 3: return decodeRow<3, NC>;
    case 4: return decodeRow<4, NC>;
    case 5: return decodeRow<5, NC>;
    case 6: return decodeRow<6, NC>;
    default: return decodeRow<7, NC>;
  }
}

// At the end of a restart interval: drop the padding bits and step over the RSTn marker.
Status nextRestart(BitReader& br, const uint8_t* end) {
  const uint8_t* p = br.resetAt();
  // Like IJG, tolerate stray bytes before the marker; fill bytes (0xFF 0xFF) are skipped too.
  while (end - p >= 2 && !(p[0] == 0xFF && p[1] != 0x00 && p[1] != 0xFF)) ++p;
  if (end - p < 2) return makeError("jpeg.truncated", "stream ends before a restart marker", "jpeg");
  if (p[1] < 0xD0 || p[1] > 0xD7) return makeError("jpeg.bad_marker", "expected a restart marker", "jpeg");
  br.seek(p + 2);
  return {};
}

Status decodeScan(const uint8_t* data, size_t size, const detail::JpegHeaders& h, uint16_t* out) {
  const JpegInfo& in = h.info;
  const int nc = in.components;
  const HuffTable* tab[3] = {};
  for (int c = 0; c < nc; ++c) tab[c] = &h.tables[h.scanTable[c]];
  const RowFn fn = nc == 1 ? rowFunction<1>(in.predictor) : rowFunction<3>(in.predictor);
  const int32_t init = 1 << (in.precision - in.pointTransform - 1);
  const int rowsPerInterval = in.restartInterval ? in.restartInterval / in.cols : in.rows;
  const size_t stride = size_t(in.cols) * nc;
  BitReader br(data + h.entropyStart, data + size);
  bool bad = false;
  for (int y = 0; y < in.rows; ++y) {
    const bool first = y % rowsPerInterval == 0;
    if (first && y > 0) CVX_TRY(nextRestart(br, data + size));
    uint16_t* row = out + size_t(y) * stride;
    fn(br, tab, row, first ? nullptr : row - stride, in.cols, init, bad);
    if (bad) return makeError("jpeg.bad_huffman", "invalid Huffman code at row " + std::to_string(y), "jpeg");
    if (br.overrun()) return makeError("jpeg.truncated", "entropy data ends at row " + std::to_string(y), "jpeg");
  }
  if (in.pointTransform) {
    const size_t n = in.sampleCount();
    for (size_t i = 0; i < n; ++i) out[i] = uint16_t(out[i] << in.pointTransform);
  }
  return {};
}

}  // namespace

Result<JpegInfo> peekJpegInfo(const uint8_t* data, size_t size) {
  auto h = std::make_unique<detail::JpegHeaders>();
  CVX_TRY(detail::parseJpegHeaders(data, size, *h));
  return h->info;
}

Status decodeJpegLossless(const uint8_t* data, size_t size, uint16_t* out, size_t outCount,
                          JpegInfo* info) {
  auto h = std::make_unique<detail::JpegHeaders>();
  CVX_TRY(detail::parseJpegHeaders(data, size, *h));
  if (info) *info = h->info;
  if (!out || outCount < h->info.sampleCount())
    return makeError("jpeg.buffer_too_small",
                     "output holds " + std::to_string(outCount) + " values, frame needs " +
                         std::to_string(h->info.sampleCount()),
                     "jpeg");
  return decodeScan(data, size, *h, out);
}

}  // namespace cvx::io::codec

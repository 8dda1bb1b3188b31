// SPDX-License-Identifier: MIT
// OpenJPEG from a memory buffer: a read/skip/seek stream over (data, size), one codec per call
// (no shared state, so concurrent calls on different buffers are safe).
#include "codec/j2k.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace cvx::io::codec {
namespace {

struct MemStream {
  const uint8_t* data;
  size_t size;
  size_t pos;
};

OPJ_SIZE_T memRead(void* buf, OPJ_SIZE_T n, void* user) {
  auto* m = static_cast<MemStream*>(user);
  if (m->pos >= m->size) return static_cast<OPJ_SIZE_T>(-1);  // end of stream
  const size_t k = std::min<size_t>(n, m->size - m->pos);
  std::memcpy(buf, m->data + m->pos, k);
  m->pos += k;
  return k;
}

OPJ_OFF_T memSkip(OPJ_OFF_T n, void* user) {
  auto* m = static_cast<MemStream*>(user);
  const int64_t to = std::clamp<int64_t>(static_cast<int64_t>(m->pos) + n, 0, static_cast<int64_t>(m->size));
  const OPJ_OFF_T moved = to - static_cast<int64_t>(m->pos);
  m->pos = static_cast<size_t>(to);
  return moved;
}

OPJ_BOOL memSeek(OPJ_OFF_T to, void* user) {
  auto* m = static_cast<MemStream*>(user);
  if (to < 0 || static_cast<uint64_t>(to) > m->size) return OPJ_FALSE;
  m->pos = static_cast<size_t>(to);
  return OPJ_TRUE;
}

void keepMessage(const char* msg, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->empty() && msg) {
    *s = msg;
    while (!s->empty() && (s->back() == '\n' || s->back() == ' ')) s->pop_back();
  }
}
void ignoreMessage(const char*, void*) {}

struct CodecFree { void operator()(opj_codec_t* c) const { opj_destroy_codec(c); } };
struct StreamFree { void operator()(opj_stream_t* s) const { opj_stream_destroy(s); } };
struct ImageFree { void operator()(opj_image_t* i) const { opj_image_destroy(i); } };

Status fail(const std::string& what, const std::string& why) {
  return makeError("j2k.decode_failed", what + (why.empty() ? std::string() : ": " + why));
}

Status copySamples(const opj_image_t& img, unsigned sampleBytes, std::vector<uint8_t>& out, J2kInfo& info) {
  info.width = img.x1 - img.x0;
  info.height = img.y1 - img.y0;
  info.components = img.numcomps;
  if (img.numcomps == 0 || !img.comps) return makeError("j2k.decode_failed", "no components");
  info.precision = img.comps[0].prec;
  info.isSigned = img.comps[0].sgnd != 0;
  const size_t n = static_cast<size_t>(info.width) * info.height;
  for (uint32_t c = 0; c < img.numcomps; ++c) {
    const opj_image_comp_t& k = img.comps[c];
    if (k.dx != 1 || k.dy != 1 || k.w != info.width || k.h != info.height || !k.data)
      return makeError("j2k.unsupported", "subsampled or unequal components");
    if (k.prec > 16 || k.prec > 8 * sampleBytes) return makeError("j2k.unsupported", "more bits than the sample holds");
  }
  out.resize(n * img.numcomps * sampleBytes);
  for (uint32_t c = 0; c < img.numcomps; ++c) {
    const OPJ_INT32* src = img.comps[c].data;
    for (size_t i = 0; i < n; ++i) {
      const size_t at = (i * img.numcomps + c) * sampleBytes;
      const uint32_t v = static_cast<uint32_t>(src[i]);  // two's complement cut to the width
      if (sampleBytes == 1) out[at] = static_cast<uint8_t>(v);
      else { const uint16_t w = static_cast<uint16_t>(v); std::memcpy(&out[at], &w, 2); }
    }
  }
  return {};
}

}  // namespace

Status decodeJ2k(const uint8_t* data, size_t size, unsigned sampleBytes, std::vector<uint8_t>& out, J2kInfo& info) {
  static const uint8_t kJp2Sig[8] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '};
  if (size < 16) return makeError("j2k.decode_failed", "codestream shorter than 16 bytes");
  OPJ_CODEC_FORMAT format = OPJ_CODEC_J2K;
  if (std::memcmp(data, kJp2Sig, 8) == 0) format = OPJ_CODEC_JP2;
  else if (data[0] != 0xFF || data[1] != 0x4F) return makeError("j2k.decode_failed", "no SOC marker");
  std::unique_ptr<opj_codec_t, CodecFree> codec(opj_create_decompress(format));
  if (!codec) return makeError("j2k.decode_failed", "cannot create decoder");
  std::string msg;
  opj_set_error_handler(codec.get(), keepMessage, &msg);
  opj_set_warning_handler(codec.get(), ignoreMessage, nullptr);
  opj_set_info_handler(codec.get(), ignoreMessage, nullptr);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  if (!opj_setup_decoder(codec.get(), &params)) return fail("setup", msg);
  MemStream mem{data, size, 0};
  std::unique_ptr<opj_stream_t, StreamFree> stream(opj_stream_create(64 * 1024, OPJ_TRUE));
  if (!stream) return fail("stream", msg);
  opj_stream_set_user_data(stream.get(), &mem, nullptr);
  opj_stream_set_user_data_length(stream.get(), size);
  opj_stream_set_read_function(stream.get(), memRead);
  opj_stream_set_skip_function(stream.get(), memSkip);
  opj_stream_set_seek_function(stream.get(), memSeek);
  opj_image_t* raw = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &raw)) return fail("header", msg);
  std::unique_ptr<opj_image_t, ImageFree> image(raw);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
    return fail("decode", msg);
  return copySamples(*image, sampleBytes, out, info);
}

}  // namespace cvx::io::codec

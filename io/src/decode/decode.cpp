// SPDX-License-Identifier: MIT
// decodeFrames: opens a file once (Pixel Data stays on disk), checks its pixel module against the
// scan's, and hands each frame to the decoder of its transfer syntax.
#include <cstdlib>
#include <mutex>

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include "dicom/dcm_util.h"
#include "decode/internal.h"

namespace cvx::io::detail {
namespace {

// DCMTK's codec registry is global: register once, before the first decode on any thread, and
// deregister at exit (before DCMTK's own static list is destroyed, since it was constructed
// before this handler was registered): otherwise the 9 codec entries are lost at exit, which
// LeakSanitizer reports as leaks of `cinevox` under the asan preset.
void registerCodecsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    dcm::initDcmtk();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
    std::atexit([] {
      DcmRLEDecoderRegistration::cleanup();
      DJLSDecoderRegistration::cleanup();
      DJDecoderRegistration::cleanup();
    });
  });
}

Status decodeOne(DecodeFile& f, uint32_t frame, std::byte* dst) {
  switch (f.kind) {
    case SyntaxKind::Native: return decodeNativeFrame(f, frame, dst);
    case SyntaxKind::DcmtkCodec: return decodeDcmtkFrame(f, frame, dst);
    case SyntaxKind::JpegLossless: return decodeJpegLosslessFrame(f, frame, dst);
    case SyntaxKind::OpenJpeg: return decodeOpenJpegFrame(f, frame, dst);
    case SyntaxKind::FrameDeflate: return decodeDeflateFrame(f, frame, dst);
    case SyntaxKind::None: break;
  }
  return makeError("dicom.unsupported_syntax", "no decoder for transfer syntax " + f.syntax, f.path);
}

}  // namespace

bool syntaxKind(const std::string& uid, SyntaxKind& kind) {
  const TransferSyntax* t = findTransferSyntax(uid);
  if (!t || t->kind == SyntaxKind::None) return false;
  kind = t->kind;
  return true;
}

Status decodeFrames(const std::string& path, const PixelFormat& expect, std::span<const FrameDest> frames) {
  registerCodecsOnce();
  auto f = std::make_unique<DecodeFile>();  // DCMTK objects are large; keep them off the stack
  CVX_TRY(openForDecode(path, expect, *f));
  for (const FrameDest& d : frames) {
    if (d.frame >= f->frames)
      return makeError("dicom.bad_frame",
                       "frame " + std::to_string(d.frame) + " of " + std::to_string(f->frames) + " requested", path);
    if (!d.dst) return makeError("dicom.decode_failed", "no destination for frame", path);
    Status st = decodeOne(*f, d.frame, d.dst);
    if (!st) return st;
  }
  return {};
}

}  // namespace cvx::io::detail

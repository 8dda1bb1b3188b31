// Demo study: writeDemoStudy, one folder per series under outDir.
#include <filesystem>
#include <system_error>

#include <cvx/io/demo.h>

#include "demo_internal.h"

namespace cvx::io {

Status writeDemoStudy(const std::string& outDir) {
  if (outDir.empty()) return makeError("demo.bad_path", "no output folder given");
  std::error_code ec;
  if (std::filesystem::exists(outDir, ec) && !std::filesystem::is_directory(outDir, ec))
    return makeError("demo.bad_path", "the output path exists and is not a folder", outDir);
  std::filesystem::create_directories(outDir, ec);
  if (ec) return makeError("demo.mkdir_failed", "cannot create the output folder: " + ec.message(), outDir);
  demo::Study study;
  study.studyUid = demo::newUid();
  study.ctFrameUid = demo::newUid();
  CVX_TRY(demo::writeCt(outDir, study));
  CVX_TRY(demo::writePet(outDir, study));
  CVX_TRY(demo::writeMr4d(outDir, study));
  CVX_TRY(demo::writeOblique(outDir, study));
  CVX_TRY(demo::writeMono1(outDir, study));
  return {};
}

}  // namespace cvx::io

// SPDX-License-Identifier: MIT
// Demo study: writeDemoStudy, one folder per series under outDir.
#include <filesystem>
#include <system_error>

#include <cvx/demo/demo.h>

#include "internal.h"

namespace cvx::demo {

Status writeDemoStudy(const std::string& outDir) {
  if (outDir.empty()) return makeError("demo.bad_path", "no output folder given");
  std::error_code ec;
  if (std::filesystem::exists(outDir, ec) && !std::filesystem::is_directory(outDir, ec))
    return makeError("demo.bad_path", "the output path exists and is not a folder", outDir);
  std::filesystem::create_directories(outDir, ec);
  if (ec) return makeError("demo.mkdir_failed", "cannot create the output folder: " + ec.message(), outDir);
  Study study;
  study.studyUid = newUid();
  study.ctFrameUid = newUid();
  CVX_TRY(writeCt(outDir, study));
  CVX_TRY(writePet(outDir, study));
  CVX_TRY(writeMr4d(outDir, study));
  CVX_TRY(writeOblique(outDir, study));
  CVX_TRY(writeMono1(outDir, study));
  return {};
}

}  // namespace cvx::demo

// SPDX-License-Identifier: MIT
// Demo study: writeDemoStudy, one folder per series under outDir; writeDemoFollowUp, the PET of a
// second study of the same patient (FOLLOWUP_PET/).
#include <filesystem>
#include <system_error>

#include <cvx/demo/demo.h>

#include "internal.h"

namespace cvx::demo {
namespace {

// outDir is a folder (created if needed); demo.bad_path or demo.mkdir_failed otherwise.
Status prepareOutDir(const std::string& outDir) {
  if (outDir.empty()) return makeError("demo.bad_path", "no output folder given");
  std::error_code ec;
  if (std::filesystem::exists(outDir, ec) && !std::filesystem::is_directory(outDir, ec))
    return makeError("demo.bad_path", "the output path exists and is not a folder", outDir);
  std::filesystem::create_directories(outDir, ec);
  if (ec) return makeError("demo.mkdir_failed", "cannot create the output folder: " + ec.message(), outDir);
  return {};
}

}  // namespace

Status writeDemoStudy(const std::string& outDir) {
  CVX_TRY(prepareOutDir(outDir));
  Study study;
  study.studyUid = newUid();
  study.ctFrameUid = newUid();
  CVX_TRY(writeCt(outDir, study));
  CVX_TRY(writePet(outDir, study, "PET", 8.0, "Demo PET FDG (lesion SUV 8, liver SUV 2)"));
  CVX_TRY(writeMr4d(outDir, study));
  CVX_TRY(writeOblique(outDir, study));
  CVX_TRY(writeMono1(outDir, study));
  return {};
}

Status writeDemoFollowUp(const std::string& outDir) {
  CVX_TRY(prepareOutDir(outDir));
  Study study;
  study.studyUid = newUid();
  study.ctFrameUid = newUid();  // another scanner session: its own frame of reference
  study.date = "20250402";
  study.time = "090000";
  study.description = "CineVox demo PET follow-up";
  study.id = "2";
  study.accession = "CVXDEMO2";
  return writePet(outDir, study, "FOLLOWUP_PET", 4.0, "Demo PET FDG follow-up (lesion SUV 4, liver SUV 2)");
}

}  // namespace cvx::demo

// SPDX-License-Identifier: MIT
// The demo study: a synthetic but standard-conformant DICOM study whose content is known
// analytically (docs/demo.md gives every position and value), written through io's DicomWriter.
#pragma once
#include <string>

#include <cvx/core/error.h>

namespace cvx::demo {

// Writes the demo study under outDir, one folder per series:
//   CT/      256x256x120 CT phantom (HU, liver lesion, lung nodule, window presets)
//   PET/     128x128x60 PET (BQML, per-slice RescaleSlope, SUV known), same frame as CT
//   MR4D/    96x96x24 x 10 phases beating/moving phantom (TemporalPositionIdentifier, TriggerTime)
//   OBLIQUE/ 160x200x40 oblique, anisotropic (0.5\0.8 mm) orientation phantom
//   MONO1/   128x128x8 MONOCHROME1 CT-like step pattern
// Creates outDir if needed; writes nothing outside it; a rerun replaces the files it wrote before.
// Errors: demo.bad_path, demo.mkdir_failed, demo.write_failed (the writer's dicom.write_* code in
// the message).
Status writeDemoStudy(const std::string& outDir);

// Writes the PET of a second study of the demo's patient under outDir, for response tests
// (PERCIST: baseline = the demo's PET/, follow-up = this one):
//   FOLLOWUP_PET/ 128x128x60 PET, same grid, geometry, dose, half-life, weight and uptake time
//                 as PET/, but a new StudyInstanceUID and its own FrameOfReferenceUID, StudyDate
//                 20250402 (injection 2025-04-02 09:00:00, series 10:00:00); the body phantom with
//                 the liver lesion at SUV 4.0 instead of 8.0 (everything else unchanged).
// writeDemoStudy does not write it. Creates outDir if needed; writes nothing outside it; a rerun
// replaces the files it wrote before. Errors: as writeDemoStudy's.
Status writeDemoFollowUp(const std::string& outDir);

}  // namespace cvx::demo

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

}  // namespace cvx::demo

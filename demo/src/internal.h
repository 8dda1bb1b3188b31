// SPDX-License-Identifier: MIT
// Private to the demo study generator (demo/src/*.cpp): shared DICOM modules and the phantoms.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/geometry.h>
#include <cvx/io/dicom_writer.h>

namespace cvx::demo {

using io::DicomItemWriter;
using io::DicomWriter;

// SOP classes of the demo series (PS3.4 B.5).
inline constexpr const char* kCtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
inline constexpr const char* kMrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
inline constexpr const char* kPetImageStorage = "1.2.840.10008.5.1.4.1.1.128";

// Identifiers shared by every series of one study: the demo study (defaults) or the PET follow-up.
struct Study {
  std::string studyUid;
  std::string ctFrameUid;  // frame of reference F, shared by CT and PET (the follow-up: its own)
  std::string date = "20250102";
  std::string time = "090000";
  std::string description = "CineVox demo study";
  std::string id = "1", accession = "CVXDEMO1";
};

struct Series {
  std::string uid, frameUid, modality, sopClassUid, description, time;
  int number = 0;
};

// One slice of the Image Plane module. rowSpacing is PixelSpacing[0] (between rows, along the
// column direction), colSpacing is PixelSpacing[1] (between columns, along the row direction).
struct Plane {
  Vec3 position;
  Vec3 rowDir{1, 0, 0}, colDir{0, 1, 0};
  double rowSpacing = 1, colSpacing = 1, thickness = 1;
};

struct Pixels {
  uint16_t rows = 0, cols = 0, bitsStored = 16;
  bool isSigned = false;
  std::string photometric = "MONOCHROME2";
  const uint16_t* data = nullptr;  // rows*cols values (int16 reinterpreted when isSigned)
};

std::string newUid();
// A DS value (at most 16 characters) for v.
std::string ds(double v);
// DS multi-value "a\b\c".
std::string dsList(const std::vector<double>& v);

// Patient, General Study, General Series, Frame of Reference, General Equipment, SOP Common.
void putCommon(DicomItemWriter& w, const Study& study, const Series& series, int instance);
void putPlane(DicomItemWriter& w, const Plane& plane);
void putPixels(DicomItemWriter& w, const Pixels& px);
// Window presets: centers, widths and explanations of the same length.
void putWindows(DicomItemWriter& w, const std::vector<double>& centers, const std::vector<double>& widths,
                const std::string& explanations);
// Writes the file (Part 10, Explicit VR Little Endian); a rerun replaces the study's own files.
Status save(const DicomWriter& file, const std::string& path);
// outDir/name, created; demo.mkdir_failed on failure.
Result<std::string> seriesDir(const std::string& outDir, const std::string& name);
// dir/IM0001.dcm
std::string instancePath(const std::string& dir, int instance);

// The body phantom shared by CT and PET (docs/demo.md lists every shape).
enum class Tissue : uint8_t {
  Air, Fat, Soft, Lung, Liver, Lesion, Nodule, Cortex, Marrow, Canal, Aorta, Heart, Stomach,
  StomachGas, Rib
};
Tissue tissueAt(Vec3 patientMm);
double huOf(Tissue t);
double suvOf(Tissue t);

// The series writers (ct.cpp, pet.cpp, mr4d.cpp, oblique.cpp, mono1.cpp).
Status writeCt(const std::string& outDir, const Study& study);
// The PET of study (outDir/folder): the body phantom, the lesion at lesionSuv, injection at 09:00:00
// of study.date; the demo's is writePet(outDir, study, "PET", 8.0, "Demo PET FDG (...)").
Status writePet(const std::string& outDir, const Study& study, const std::string& folder, double lesionSuv,
                const std::string& description);
Status writeMr4d(const std::string& outDir, const Study& study);
Status writeOblique(const std::string& outDir, const Study& study);
Status writeMono1(const std::string& outDir, const Study& study);

}  // namespace cvx::demo

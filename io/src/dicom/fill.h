// Filling a FileHeader from attributes, written once for both header readers: DCMTK (DcmAccess)
// and the bounded fast parser (FastAccess). An accessor A provides
//   std::string str(const DcmTagKey&);                       trimmed value ("" when absent)
//   std::optional<double> num(const DcmTagKey&, unsigned long pos = 0);
//   std::optional<A> item(const DcmTagKey& sequence);        first item of a sequence
#pragma once
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <cvx/io/dicom.h>

#include "dicom/number.h"

namespace cvx::io::detail {

std::optional<double> timeToSeconds(const std::string& tm);
std::optional<double> dateTimeToSeconds(const std::string& dt);

template <class A>
std::optional<Vec3> getVec3(const A& a, const DcmTagKey& tag) {
  Vec3 r;
  for (unsigned long i = 0; i < 3; ++i) {
    const auto v = a.num(tag, i);
    if (!v) return std::nullopt;
    r[static_cast<int>(i)] = *v;
  }
  return r;
}

template <class A>
std::optional<std::array<double, 6>> getVec6(const A& a, const DcmTagKey& tag) {
  std::array<double, 6> r{};
  for (unsigned long i = 0; i < 6; ++i) {
    const auto v = a.num(tag, i);
    if (!v) return std::nullopt;
    r[i] = *v;
  }
  return r;
}

template <class A>
std::optional<std::array<double, 2>> getVec2(const A& a, const DcmTagKey& tag) {
  const auto x = a.num(tag, 0), y = a.num(tag, 1);
  if (!x || !y) return std::nullopt;
  return std::array<double, 2>{*x, *y};
}

// The value rounded to an int; fallback when absent, unparseable or outside int (no UB on 1e308).
template <class A>
int getInt(const A& a, const DcmTagKey& tag, int fallback = 0) {
  const auto v = a.num(tag);
  return v ? toInteger<int>(*v).value_or(fallback) : fallback;
}

// A US attribute of the pixel module: fallback when absent; 0 when present but not a number in
// 0..65535 (never wrapped: Rows "70000" is not 4464), which the pixel-module checks then refuse.
template <class A>
uint16_t getU16(const A& a, const DcmTagKey& tag, uint16_t fallback) {
  const auto v = a.num(tag);
  if (!v) return a.str(tag).empty() ? fallback : 0;
  return toInteger<uint16_t>(*v).value_or(0);
}

template <class A>
void fillPixelFormat(A& a, PixelFormat& p) {
  p.rows = getU16(a, DCM_Rows, 0);
  p.cols = getU16(a, DCM_Columns, 0);
  p.samplesPerPixel = getU16(a, DCM_SamplesPerPixel, 1);
  p.bitsAllocated = getU16(a, DCM_BitsAllocated, 16);
  p.bitsStored = getU16(a, DCM_BitsStored, p.bitsAllocated);
  p.highBit = getU16(a, DCM_HighBit, static_cast<uint16_t>(p.bitsStored - 1));
  p.isSigned = getInt(a, DCM_PixelRepresentation) == 1;
  p.planarConfiguration = getU16(a, DCM_PlanarConfiguration, 0);
  p.photometric = a.str(DCM_PhotometricInterpretation);
  if (p.photometric.empty()) p.photometric = p.samplesPerPixel == 3 ? "RGB" : "MONOCHROME2";
}

// A value that is present but did not parse (nullopt from the reader, non-empty text) is recorded
// in notes with its code, its text and what is used instead; absent values are not notes.
template <class A, class T>
void noteUnparsed(const A& a, const DcmTagKey& tag, const std::optional<T>& parsed, const char* code,
                  const char* name, const char* used, std::vector<Diagnostic>* notes) {
  if (!notes || parsed) return;
  const std::string text = a.str(tag);
  if (text.empty()) return;
  notes->push_back({code, std::string(name) + " '" + text.substr(0, 64) + "' is not a valid number list; " + used});
}

// Attributes of a classic image (top level) that are also the defaults of every frame. Invalid
// values are kept as read (RescaleSlope 0 too): the planner replaces them and says so.
template <class A>
void fillClassicFrame(A& a, FrameHeader& f, std::vector<Diagnostic>* notes = nullptr) {
  f.position = getVec3(a, DCM_ImagePositionPatient);
  noteUnparsed(a, DCM_ImagePositionPatient, f.position, "geometry.invalid_position", "ImagePositionPatient",
               "the image has no position (placed at the origin, apart from the stack)", notes);
  f.orientation = getVec6(a, DCM_ImageOrientationPatient);
  noteUnparsed(a, DCM_ImageOrientationPatient, f.orientation, "geometry.invalid_orientation",
               "ImageOrientationPatient", "the image has no orientation (placed at the origin, apart from the stack)",
               notes);
  f.pixelSpacing = getVec2(a, DCM_PixelSpacing);
  if (!f.pixelSpacing) f.pixelSpacing = getVec2(a, DCM_ImagerPixelSpacing);
  noteUnparsed(a, DCM_PixelSpacing, f.pixelSpacing, "geometry.invalid_spacing", "PixelSpacing",
               "1 x 1 mm used (spacing unknown: measure in pixels)", notes);
  const auto thickness = a.num(DCM_SliceThickness);
  noteUnparsed(a, DCM_SliceThickness, thickness, "geometry.invalid_thickness", "SliceThickness",
               "ignored (slice spacing from positions; 1 mm for a single slice)", notes);
  f.sliceThickness = thickness.value_or(0);
  const auto slope = a.num(DCM_RescaleSlope), intercept = a.num(DCM_RescaleIntercept);
  noteUnparsed(a, DCM_RescaleSlope, slope, "pixel.invalid_rescale", "RescaleSlope", "slope 1 used", notes);
  noteUnparsed(a, DCM_RescaleIntercept, intercept, "pixel.invalid_rescale", "RescaleIntercept", "intercept 0 used",
               notes);
  f.rescaleSlope = slope.value_or(1);
  f.rescaleIntercept = intercept.value_or(0);
  f.temporalPositionId = a.num(DCM_TemporalPositionIdentifier);
  f.triggerTimeMs = a.num(DCM_TriggerTime);
  f.acquisitionNumber = a.num(DCM_AcquisitionNumber);
  f.acquisitionTimeS = timeToSeconds(a.str(DCM_AcquisitionTime));
  if (!f.acquisitionTimeS) f.acquisitionTimeS = dateTimeToSeconds(a.str(DCM_AcquisitionDateTime));
  f.contentTimeS = timeToSeconds(a.str(DCM_ContentTime));
  f.echoTimeMs = a.num(DCM_EchoTime);
  f.repetitionTimeMs = a.num(DCM_RepetitionTime);
  f.instanceNumber = getInt(a, DCM_InstanceNumber);
}

template <class A>
void fillWindows(A& a, SeriesInfo& s) {
  const std::string names = a.str(DCM_WindowCenterWidthExplanation);
  size_t start = 0;
  for (unsigned long i = 0; i < 16; ++i) {
    const auto c = a.num(DCM_WindowCenter, i);
    const auto w = a.num(DCM_WindowWidth, i);
    if (!c || !w) break;
    WindowPreset p{*c, *w, {}};
    if (start != std::string::npos && start <= names.size()) {
      const size_t end = names.find('\\', start);
      p.name = names.substr(start, end == std::string::npos ? std::string::npos : end - start);
      start = end == std::string::npos ? end : end + 1;
    }
    s.windows.push_back(p);
  }
}

template <class A>
void fillPet(A& a, PetDose& p) {
  p.patientWeightKg = a.num(DCM_PatientWeight);
  p.patientHeightM = a.num(DCM_PatientSize);
  p.seriesTime = a.str(DCM_SeriesTime);
  p.acquisitionTime = a.str(DCM_AcquisitionTime);
  p.decayCorrection = a.str(DCM_DecayCorrection);
  p.correctedImage = a.str(DCM_CorrectedImage);
  p.units = a.str(DCM_Units);
  if (auto r = a.item(DCM_RadiopharmaceuticalInformationSequence)) {
    p.injectedDoseBq = r->num(DCM_RadionuclideTotalDose);
    p.halfLifeS = r->num(DCM_RadionuclideHalfLife);
    p.injectionTime = r->str(DCM_RadiopharmaceuticalStartTime);
    p.injectionDateTime = r->str(DCM_RadiopharmaceuticalStartDateTime);
    p.radiopharmaceutical = r->str(DCM_Radiopharmaceutical);
  }
}

template <class A>
void fillSeriesInfo(A& a, FileHeader& h) {
  SeriesInfo& s = h.info;
  s.patientName = a.str(DCM_PatientName);
  s.patientId = a.str(DCM_PatientID);
  s.patientBirthDate = a.str(DCM_PatientBirthDate);
  s.patientSex = a.str(DCM_PatientSex);
  s.studyInstanceUid = a.str(DCM_StudyInstanceUID);
  s.studyDate = a.str(DCM_StudyDate);
  s.studyTime = a.str(DCM_StudyTime);
  s.studyDescription = a.str(DCM_StudyDescription);
  s.accessionNumber = a.str(DCM_AccessionNumber);
  s.seriesInstanceUid = a.str(DCM_SeriesInstanceUID);
  s.seriesDescription = a.str(DCM_SeriesDescription);
  s.seriesNumber = getInt(a, DCM_SeriesNumber);
  s.modality = a.str(DCM_Modality);
  s.frameOfReferenceUid = a.str(DCM_FrameOfReferenceUID);
  s.manufacturer = a.str(DCM_Manufacturer);
  s.bodyPart = a.str(DCM_BodyPartExamined);
  s.patientPosition = a.str(DCM_PatientPosition);
  s.photometric = h.pixel.photometric;
  s.rescaleType = a.str(DCM_RescaleType);
  s.transferSyntaxUid = h.transferSyntaxUid;
  s.lossyCompressed = a.str(DCM_LossyImageCompression) == "01";
  s.lossyRatio = a.str(DCM_LossyImageCompressionRatio);
  s.lossyMethod = a.str(DCM_LossyImageCompressionMethod);
  fillWindows(a, s);
  fillPet(a, s.pet);
  s.units = !s.pet.units.empty() ? s.pet.units : (s.modality == "CT" ? "HU" : s.rescaleType);
  h.imageType = a.str(DCM_ImageType);
  if (std::string v = a.str(DCM_SOPClassUID); !v.empty()) h.sopClassUid = v;
  h.sopInstanceUid = a.str(DCM_SOPInstanceUID);
  const int nf = getInt(a, DCM_NumberOfFrames, 1);
  h.numberOfFrames = nf > 0 ? static_cast<uint32_t>(nf) : 1u;
}

// NumberOfFrames present but not a whole number from 1 ("1A"): the frame count is unknown, so the
// file is refused (dicom.invalid_frames) rather than read as one frame.
template <class A>
Status checkFrameCount(A& a, const std::string& path) {
  const std::string s = a.str(DCM_NumberOfFrames);
  if (s.empty()) return {};
  const auto v = a.num(DCM_NumberOfFrames);
  if (v && *v >= 1 && *v <= 2147483647.0 && *v == std::floor(*v)) return {};
  return makeError("dicom.invalid_frames", "NumberOfFrames \"" + s + "\" is not a whole number of frames", path);
}

// RT Dose (PS3.3 C.8.8.3): every frame scaled by DoseGridScaling to Gy, and placed along the
// slice normal by GridFrameOffsetVector: relative to ImagePositionPatient when its first value
// is 0, else absolute (the first value is the plane of ImagePositionPatient). Call after the
// frames are filled.
template <class A>
void fillDoseGrid(A& a, FileHeader& h) {
  if (h.info.modality != "RTDOSE" || h.frames.empty()) return;
  if (const auto s = a.num(DCM_DoseGridScaling); s && std::isfinite(*s) && *s > 0)
    for (FrameHeader& f : h.frames) {
      f.rescaleSlope = *s;
      f.rescaleIntercept = 0;
    }
  if (std::string u = a.str(DCM_DoseUnits); !u.empty()) h.info.units = u;
  const FrameHeader base = h.frames.front();
  if (!base.position || !base.orientation || h.frames.size() < 2) return;
  const auto& o = *base.orientation;
  const Vec3 n = cross(Vec3{o[0], o[1], o[2]}, Vec3{o[3], o[4], o[5]});
  const auto first = a.num(DCM_GridFrameOffsetVector, 0);
  if (!first || !std::isfinite(*first)) return;
  for (FrameHeader& f : h.frames) {
    const auto off = a.num(DCM_GridFrameOffsetVector, f.frame);
    if (!off || !std::isfinite(*off)) return;  // fewer offsets than frames: positions stay as they are
    f.position = *base.position + n * (*off - *first);
  }
}

}  // namespace cvx::io::detail

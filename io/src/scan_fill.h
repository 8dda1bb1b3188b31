// Filling a FileHeader from attributes, written once for both header readers: DCMTK (DcmAccess)
// and the bounded fast parser (FastAccess). An accessor A provides
//   std::string str(const DcmTagKey&);                       trimmed value ("" when absent)
//   std::optional<double> num(const DcmTagKey&, unsigned long pos = 0);
//   std::optional<A> item(const DcmTagKey& sequence);        first item of a sequence
#pragma once
#include <array>
#include <optional>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <cvx/io/dicom.h>

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

template <class A>
int getInt(const A& a, const DcmTagKey& tag, int fallback = 0) {
  const auto v = a.num(tag);
  return v ? static_cast<int>(*v < 0 ? *v - 0.5 : *v + 0.5) : fallback;
}

template <class A>
void fillPixelFormat(A& a, PixelFormat& p) {
  p.rows = static_cast<uint16_t>(getInt(a, DCM_Rows));
  p.cols = static_cast<uint16_t>(getInt(a, DCM_Columns));
  p.samplesPerPixel = static_cast<uint16_t>(getInt(a, DCM_SamplesPerPixel, 1));
  p.bitsAllocated = static_cast<uint16_t>(getInt(a, DCM_BitsAllocated, 16));
  p.bitsStored = static_cast<uint16_t>(getInt(a, DCM_BitsStored, p.bitsAllocated));
  p.highBit = static_cast<uint16_t>(getInt(a, DCM_HighBit, p.bitsStored - 1));
  p.isSigned = getInt(a, DCM_PixelRepresentation) == 1;
  p.planarConfiguration = static_cast<uint16_t>(getInt(a, DCM_PlanarConfiguration));
  p.photometric = a.str(DCM_PhotometricInterpretation);
  if (p.photometric.empty()) p.photometric = p.samplesPerPixel == 3 ? "RGB" : "MONOCHROME2";
}

// Attributes of a classic image (top level) that are also the defaults of every frame.
template <class A>
void fillClassicFrame(A& a, FrameHeader& f) {
  f.position = getVec3(a, DCM_ImagePositionPatient);
  f.orientation = getVec6(a, DCM_ImageOrientationPatient);
  f.pixelSpacing = getVec2(a, DCM_PixelSpacing);
  if (!f.pixelSpacing) f.pixelSpacing = getVec2(a, DCM_ImagerPixelSpacing);
  f.sliceThickness = a.num(DCM_SliceThickness).value_or(0);
  f.rescaleSlope = a.num(DCM_RescaleSlope).value_or(1);
  f.rescaleIntercept = a.num(DCM_RescaleIntercept).value_or(0);
  if (f.rescaleSlope == 0) f.rescaleSlope = 1;
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

}  // namespace cvx::io::detail

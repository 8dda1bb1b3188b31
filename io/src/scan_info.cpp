// Patient, study, series and PET dose metadata from a header.
#include "dcm_util.h"
#include "scan_internal.h"

namespace cvx::io::detail {
namespace {

void readWindows(DcmItem& ds, SeriesInfo& s) {
  const std::string names = dcm::str(ds, DCM_WindowCenterWidthExplanation);
  for (unsigned long i = 0; i < 16; ++i) {
    const auto c = dcm::num(ds, DCM_WindowCenter, i);
    const auto w = dcm::num(ds, DCM_WindowWidth, i);
    if (!c || !w) break;
    WindowPreset p{*c, *w, {}};
    // Explanations are backslash-separated, one per window.
    size_t start = 0;
    for (unsigned long k = 0; k < i && start != std::string::npos; ++k) {
      start = names.find('\\', start);
      if (start != std::string::npos) ++start;
    }
    if (start != std::string::npos && start <= names.size())
      p.name = names.substr(start, names.find('\\', start) - start);
    s.windows.push_back(p);
  }
}

void readPet(DcmItem& ds, PetDose& p) {
  p.patientWeightKg = dcm::num(ds, DCM_PatientWeight);
  p.patientHeightM = dcm::num(ds, DCM_PatientSize);
  p.seriesTime = dcm::str(ds, DCM_SeriesTime);
  p.acquisitionTime = dcm::str(ds, DCM_AcquisitionTime);
  p.decayCorrection = dcm::str(ds, DCM_DecayCorrection);
  p.correctedImage = dcm::str(ds, DCM_CorrectedImage);
  p.units = dcm::str(ds, DCM_Units);
  if (DcmItem* r = dcm::firstItem(ds, DCM_RadiopharmaceuticalInformationSequence)) {
    p.injectedDoseBq = dcm::num(*r, DCM_RadionuclideTotalDose);
    p.halfLifeS = dcm::num(*r, DCM_RadionuclideHalfLife);
    p.injectionTime = dcm::str(*r, DCM_RadiopharmaceuticalStartTime);
    p.injectionDateTime = dcm::str(*r, DCM_RadiopharmaceuticalStartDateTime);
    p.radiopharmaceutical = dcm::str(*r, DCM_Radiopharmaceutical);
  }
}

}  // namespace

void readSeriesInfo(DcmItem& ds, FileHeader& h) {
  SeriesInfo& s = h.info;
  s.patientName = dcm::str(ds, DCM_PatientName);
  s.patientId = dcm::str(ds, DCM_PatientID);
  s.patientBirthDate = dcm::str(ds, DCM_PatientBirthDate);
  s.patientSex = dcm::str(ds, DCM_PatientSex);
  s.studyInstanceUid = dcm::str(ds, DCM_StudyInstanceUID);
  s.studyDate = dcm::str(ds, DCM_StudyDate);
  s.studyTime = dcm::str(ds, DCM_StudyTime);
  s.studyDescription = dcm::str(ds, DCM_StudyDescription);
  s.accessionNumber = dcm::str(ds, DCM_AccessionNumber);
  s.seriesInstanceUid = dcm::str(ds, DCM_SeriesInstanceUID);
  s.seriesDescription = dcm::str(ds, DCM_SeriesDescription);
  s.seriesNumber = dcm::integer(ds, DCM_SeriesNumber);
  s.modality = dcm::str(ds, DCM_Modality);
  s.frameOfReferenceUid = dcm::str(ds, DCM_FrameOfReferenceUID);
  s.manufacturer = dcm::str(ds, DCM_Manufacturer);
  s.bodyPart = dcm::str(ds, DCM_BodyPartExamined);
  s.patientPosition = dcm::str(ds, DCM_PatientPosition);
  s.photometric = h.pixel.photometric;
  s.rescaleType = dcm::str(ds, DCM_RescaleType);
  s.transferSyntaxUid = h.transferSyntaxUid;
  s.lossyCompressed = dcm::str(ds, DCM_LossyImageCompression) == "01";
  s.lossyRatio = dcm::str(ds, DCM_LossyImageCompressionRatio);
  s.lossyMethod = dcm::str(ds, DCM_LossyImageCompressionMethod);
  readWindows(ds, s);
  if (s.windows.empty()) {
    if (DcmItem* shared = dcm::firstItem(ds, DCM_SharedFunctionalGroupsSequence))
      if (DcmItem* voi = dcm::firstItem(*shared, DCM_FrameVOILUTSequence)) readWindows(*voi, s);
  }
  readPet(ds, s.pet);
  s.units = !s.pet.units.empty() ? s.pet.units : (s.modality == "CT" ? "HU" : s.rescaleType);
  h.imageType = dcm::str(ds, DCM_ImageType);
}

}  // namespace cvx::io::detail

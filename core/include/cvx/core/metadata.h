// Patient, study and series metadata carried with a volume (values as in the DICOM header).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace cvx {

struct WindowPreset {
  double center = 0;
  double width = 0;
  std::string name;  // WindowCenterWidthExplanation, if any
};

// What SUV needs (PET): all optional in the file, so all optional here.
struct PetDose {
  std::optional<double> patientWeightKg;        // (0010,1030)
  std::optional<double> patientHeightM;         // (0010,1020)
  std::optional<double> injectedDoseBq;         // (0018,1074)
  std::optional<double> halfLifeS;              // (0018,1075)
  std::string injectionTime;                    // (0018,1072) HHMMSS.frac
  std::string injectionDateTime;                // (0018,1078)
  std::string radiopharmaceutical;              // (0018,0031)
  std::string seriesTime;                       // (0008,0031)
  std::string acquisitionTime;                  // (0008,0032) of the first slice
  std::string decayCorrection;                  // (0054,1102) START / ADMIN / NONE
  std::string correctedImage;                   // (0028,0051)
  std::string units;                            // (0054,1001) BQML, CNTS, ...
};

struct SeriesInfo {
  // patient
  std::string patientName, patientId, patientBirthDate, patientSex;
  // study
  std::string studyInstanceUid, studyDate, studyTime, studyDescription, accessionNumber;
  // series
  std::string seriesInstanceUid, seriesDescription, modality, frameOfReferenceUid;
  int seriesNumber = 0;
  std::string manufacturer, bodyPart, patientPosition;
  std::string photometric;  // as in the file (MONOCHROME1 is a display transform)
  // pixel value transform: stored -> modality value (uniform when rescaleUniform)
  double rescaleSlope = 1.0, rescaleIntercept = 0.0;
  bool rescaleUniform = true;     // false: the volume is float32 with the rescale applied
  bool rescaleApplied = false;    // true: voxels are modality values (float32), not stored values
  std::string rescaleType;        // (0028,1054), e.g. HU, US
  std::string units;              // modality units (HU, BQML, ...)
  std::vector<WindowPreset> windows;
  // compression history
  bool lossyCompressed = false;
  std::string lossyRatio, lossyMethod;
  std::string transferSyntaxUid;
  // loaded at reduced resolution: every n-th voxel in-plane / every n-th slice (1: as acquired)
  int reducedInPlane = 1, reducedSlices = 1;
  PetDose pet;
};

}  // namespace cvx

// Axial int16 CT slices written with DCMTK into a test's own folder (for load and scan tests that
// need a series with geometry). Voxel values, positions and UIDs are the test's choice.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

namespace cvx::test {

struct CtSlice {
  std::string studyUid = "1.2.826.0.1.3680043.2.1125.77.1";
  std::string seriesUid = "1.2.826.0.1.3680043.2.1125.77.2";
  std::string sopUid;  // empty: a fresh one
  int seriesNumber = 1;
  int instance = 1;
  double z = 0;        // ImagePositionPatient (0, 0, z), axial, 0.5 mm pixels
  uint16_t rows = 16, cols = 16;
  std::vector<int16_t> voxels;  // rows * cols, row by row
};

inline std::string newUid() {
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

// Writes s as Explicit VR Little Endian; true on success.
inline bool writeCtSlice(const std::string& path, const CtSlice& s) {
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  const std::string sop = s.sopUid.empty() ? newUid() : s.sopUid;
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, sop.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, s.studyUid.c_str());
  ds->putAndInsertString(DCM_SeriesInstanceUID, s.seriesUid.c_str());
  ds->putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.2.1125.77.3");
  ds->putAndInsertString(DCM_Modality, "CT");
  ds->putAndInsertString(DCM_PatientID, "LOADTEST");
  ds->putAndInsertString(DCM_SeriesNumber, std::to_string(s.seriesNumber).c_str());
  ds->putAndInsertString(DCM_InstanceNumber, std::to_string(s.instance).c_str());
  const std::string pos = "0\\0\\" + std::to_string(s.z);
  ds->putAndInsertString(DCM_ImagePositionPatient, pos.c_str());
  ds->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  ds->putAndInsertString(DCM_PixelSpacing, "0.5\\0.5");
  ds->putAndInsertString(DCM_SliceThickness, "1");
  ds->putAndInsertUint16(DCM_Rows, s.rows);
  ds->putAndInsertUint16(DCM_Columns, s.cols);
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 16);
  ds->putAndInsertUint16(DCM_HighBit, 15);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 1);
  ds->putAndInsertString(DCM_RescaleIntercept, "0");
  ds->putAndInsertString(DCM_RescaleSlope, "1");
  if (s.voxels.size() != size_t{s.rows} * s.cols) return false;
  ds->putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(s.voxels.data()),
                              static_cast<unsigned long>(s.voxels.size()));
  return ff.saveFile(path.c_str(), EXS_LittleEndianExplicit).good();
}

}  // namespace cvx::test

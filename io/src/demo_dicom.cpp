// Demo study: the DICOM modules every demo series shares, and file output.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "demo_internal.h"

namespace cvx::io::demo {

std::string newUid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

std::string ds(double v) {
  if (v == 0.0) return "0";
  char buf[64];
  for (int digits = 10; digits >= 4; --digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::string(buf).size() <= 16) break;
  }
  return buf;
}

std::string dsList(const std::vector<double>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "\\" : "") + ds(v[i]);
  return s;
}

void putCommon(DcmItem& d, const Study& study, const Series& series, int instance) {
  d.putAndInsertString(DCM_SOPClassUID, series.sopClassUid.c_str());
  d.putAndInsertString(DCM_SOPInstanceUID, newUid().c_str());
  d.putAndInsertString(DCM_PatientName, "CineVox^Demo");
  d.putAndInsertString(DCM_PatientID, "CVX-DEMO-001");
  d.putAndInsertString(DCM_PatientBirthDate, "19700101");
  d.putAndInsertString(DCM_PatientSex, "O");
  d.putAndInsertString(DCM_StudyInstanceUID, study.studyUid.c_str());
  d.putAndInsertString(DCM_StudyDate, study.date.c_str());
  d.putAndInsertString(DCM_StudyTime, study.time.c_str());
  d.putAndInsertString(DCM_StudyID, "1");
  d.putAndInsertString(DCM_AccessionNumber, "CVXDEMO1");
  d.putAndInsertString(DCM_ReferringPhysicianName, "");
  d.putAndInsertString(DCM_StudyDescription, "CineVox demo study");
  d.putAndInsertString(DCM_Modality, series.modality.c_str());
  d.putAndInsertString(DCM_SeriesInstanceUID, series.uid.c_str());
  d.putAndInsertString(DCM_SeriesNumber, std::to_string(series.number).c_str());
  d.putAndInsertString(DCM_SeriesDescription, series.description.c_str());
  d.putAndInsertString(DCM_SeriesDate, study.date.c_str());
  d.putAndInsertString(DCM_SeriesTime, series.time.c_str());
  d.putAndInsertString(DCM_PatientPosition, "HFS");
  d.putAndInsertString(DCM_FrameOfReferenceUID, series.frameUid.c_str());
  d.putAndInsertString(DCM_PositionReferenceIndicator, "");
  d.putAndInsertString(DCM_Manufacturer, "CineVox");
  d.putAndInsertString(DCM_ManufacturerModelName, "Demo generator");
  d.putAndInsertString(DCM_InstanceNumber, std::to_string(instance).c_str());
  d.putAndInsertString(DCM_AcquisitionNumber, "1");
  d.putAndInsertString(DCM_ContentDate, study.date.c_str());
  d.putAndInsertString(DCM_ContentTime, series.time.c_str());
  d.putAndInsertString(DCM_BurnedInAnnotation, "NO");
}

void putPlane(DcmItem& d, const Plane& p) {
  d.putAndInsertString(DCM_PixelSpacing, dsList({p.rowSpacing, p.colSpacing}).c_str());
  d.putAndInsertString(DCM_ImageOrientationPatient,
                       dsList({p.rowDir.x, p.rowDir.y, p.rowDir.z, p.colDir.x, p.colDir.y, p.colDir.z})
                           .c_str());
  d.putAndInsertString(DCM_ImagePositionPatient,
                       dsList({p.position.x, p.position.y, p.position.z}).c_str());
  d.putAndInsertString(DCM_SliceThickness, ds(p.thickness).c_str());
  const Vec3 normal = cross(p.rowDir, p.colDir);
  d.putAndInsertString(DCM_SliceLocation, ds(dot(normal, p.position)).c_str());
}

void putPixels(DcmItem& d, const Pixels& px) {
  d.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  d.putAndInsertString(DCM_PhotometricInterpretation, px.photometric.c_str());
  d.putAndInsertUint16(DCM_Rows, px.rows);
  d.putAndInsertUint16(DCM_Columns, px.cols);
  d.putAndInsertUint16(DCM_BitsAllocated, 16);
  d.putAndInsertUint16(DCM_BitsStored, px.bitsStored);
  d.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(px.bitsStored - 1));
  d.putAndInsertUint16(DCM_PixelRepresentation, px.isSigned ? 1 : 0);
  d.putAndInsertUint16Array(DCM_PixelData, px.data,
                            static_cast<unsigned long>(px.rows) * px.cols);
}

void putWindows(DcmItem& d, const std::vector<double>& centers, const std::vector<double>& widths,
                const std::string& explanations) {
  d.putAndInsertString(DCM_WindowCenter, dsList(centers).c_str());
  d.putAndInsertString(DCM_WindowWidth, dsList(widths).c_str());
  d.putAndInsertString(DCM_WindowCenterWidthExplanation, explanations.c_str());
}

Status save(DcmFileFormat& file, const std::string& path) {
  const OFCondition c = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
  if (c.bad()) return makeError("demo.write_failed", std::string("cannot write DICOM file: ") + c.text(), path);
  return {};
}

Result<std::string> seriesDir(const std::string& outDir, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(outDir) / name;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir, ec))
    return makeError("demo.mkdir_failed", "cannot create the series folder: " + ec.message(), dir.string());
  return dir.string();
}

std::string instancePath(const std::string& dir, int instance) {
  char name[32];
  std::snprintf(name, sizeof name, "IM%04d.dcm", instance);
  return (std::filesystem::path(dir) / name).string();
}

}  // namespace cvx::io::demo

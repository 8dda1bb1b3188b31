// SPDX-License-Identifier: MIT
// Demo study: the DICOM modules every demo series shares, and file output (through io's writer).
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "internal.h"

namespace cvx::demo {

std::string newUid() { return io::newDicomUid(); }

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

void putCommon(DicomItemWriter& d, const Study& study, const Series& series, int instance) {
  d.set("SOPClassUID", series.sopClassUid);
  d.set("SOPInstanceUID", newUid());
  d.set("PatientName", "CineVox^Demo");
  d.set("PatientID", "CVX-DEMO-001");
  d.set("PatientBirthDate", "19700101");
  d.set("PatientSex", "M");  // with PatientSize and PatientWeight, the PET has SUL (PERCIST)
  d.set("StudyInstanceUID", study.studyUid);
  d.set("StudyDate", study.date);
  d.set("StudyTime", study.time);
  d.set("StudyID", study.id);
  d.set("AccessionNumber", study.accession);
  d.set("ReferringPhysicianName", "");
  d.set("StudyDescription", study.description);
  d.set("Modality", series.modality);
  d.set("SeriesInstanceUID", series.uid);
  d.set("SeriesNumber", std::to_string(series.number));
  d.set("SeriesDescription", series.description);
  d.set("SeriesDate", study.date);
  d.set("SeriesTime", series.time);
  d.set("PatientPosition", "HFS");
  d.set("FrameOfReferenceUID", series.frameUid);
  d.set("PositionReferenceIndicator", "");
  d.set("Manufacturer", "CineVox");
  d.set("ManufacturerModelName", "Demo generator");
  d.set("InstanceNumber", std::to_string(instance));
  d.set("AcquisitionNumber", "1");
  d.set("ContentDate", study.date);
  d.set("ContentTime", series.time);
  d.set("BurnedInAnnotation", "NO");
}

void putPlane(DicomItemWriter& d, const Plane& p) {
  d.set("PixelSpacing", dsList({p.rowSpacing, p.colSpacing}));
  d.set("ImageOrientationPatient",
        dsList({p.rowDir.x, p.rowDir.y, p.rowDir.z, p.colDir.x, p.colDir.y, p.colDir.z}));
  d.set("ImagePositionPatient", dsList({p.position.x, p.position.y, p.position.z}));
  d.set("SliceThickness", ds(p.thickness));
  const Vec3 normal = cross(p.rowDir, p.colDir);
  d.set("SliceLocation", ds(dot(normal, p.position)));
}

void putPixels(DicomItemWriter& d, const Pixels& px) {
  d.setU16("SamplesPerPixel", 1);
  d.set("PhotometricInterpretation", px.photometric);
  d.setU16("Rows", px.rows);
  d.setU16("Columns", px.cols);
  d.setU16("BitsAllocated", 16);
  d.setU16("BitsStored", px.bitsStored);
  d.setU16("HighBit", static_cast<uint16_t>(px.bitsStored - 1));
  d.setU16("PixelRepresentation", px.isSigned ? 1 : 0);
  d.setPixels16({px.data, static_cast<size_t>(px.rows) * px.cols});
}

void putWindows(DicomItemWriter& d, const std::vector<double>& centers, const std::vector<double>& widths,
                const std::string& explanations) {
  d.set("WindowCenter", dsList(centers));
  d.set("WindowWidth", dsList(widths));
  d.set("WindowCenterWidthExplanation", explanations);
}

// The writer's own codes (dicom.write_*) say what went wrong; demo.write_failed says whose file it was.
Status save(const DicomWriter& file, const std::string& path) {
  const Status s = file.save(path, io::Overwrite::Yes);
  if (!s) return makeError("demo.write_failed", "cannot write a demo file: " + s.error().str(), path);
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

}  // namespace cvx::demo

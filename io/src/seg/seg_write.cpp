// SPDX-License-Identifier: MIT
// Writing a binary DICOM SEG with DCMTK's dcmseg: one frame per slice that holds a segment.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <cvx/io/seg.h>
#include <cvx/io/source_folder.h>

#include "dicom/dcm_util.h"

namespace cvx::io {
namespace {

namespace fs = std::filesystem;

// A DS value (at most 16 characters) as precise as fits.
std::string ds(double v) {
  char buf[64];
  for (int prec = 12; prec > 1; --prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, std::fabs(v) < 1e-9 ? 0.0 : v);
    if (std::strlen(buf) <= 16) break;
  }
  return buf;
}

Error dcmError(const std::string& what, const OFCondition& c, const std::string& path) {
  return makeError("seg.write_failed", what + ": " + c.text(), path);
}

// The SegmentLabel written: the segment's name, else "Segment <number>".
std::string segmentName(const Segment& s) { return s.name.empty() ? "Segment " + std::to_string(s.number) : s.name; }

CodeSequenceMacro codeOr(const CodedTerm& t, const char* v, const char* s, const char* m) {
  return t.value.empty() ? CodeSequenceMacro(v, s, m)
                         : CodeSequenceMacro(t.value.c_str(), t.scheme.c_str(), t.meaning.c_str());
}

DcmSegTypes::E_SegmentAlgoType algoType(SegmentAlgorithm a) {
  switch (a) {
    case SegmentAlgorithm::Automatic:
      return DcmSegTypes::SAT_AUTOMATIC;
    case SegmentAlgorithm::Semiautomatic:
      return DcmSegTypes::SAT_SEMIAUTOMATIC;
    default:
      return DcmSegTypes::SAT_MANUAL;
  }
}

Result<DcmSegment*> makeSegment(const Segment& s, const std::string& path) {
  DcmSegment* out = nullptr;
  const bool manual = s.algorithm == SegmentAlgorithm::Manual;
  const std::string name = segmentName(s);
  OFCondition c =
      DcmSegment::create(out, name.c_str(), codeOr(s.category, "85756007", "SCT", "Tissue"),
                         codeOr(s.type, "85756007", "SCT", "Tissue"), algoType(s.algorithm),
                         manual ? "" : (s.algorithmName.empty() ? "CineVox" : s.algorithmName.c_str()));
  if (c.bad() || !out) return dcmError("segment " + name, c, path);
  std::unique_ptr<DcmSegment> owned(out);
  double L = 0, a = 0, b = 0;
  IODCIELabUtil::rgb2DicomLab(L, a, b, s.rgb[0] / 255.0, s.rgb[1] / 255.0, s.rgb[2] / 255.0);
  auto u16 = [](double x) { return static_cast<Uint16>(std::clamp(std::lround(x), 0L, 65535L)); };
  c = out->setRecommendedDisplayCIELabValue(u16(L), u16(a), u16(b));
  if (c.bad()) return dcmError("colour of " + name, c, path);
  if (!s.algorithmVersion.empty() && (!s.algorithmFamily.empty() || manual)) {
    AlgorithmIdentificationMacro alg;
    const CodedTerm f =
        s.algorithmFamily.empty() ? CodedTerm{"123109", "DCM", "Manual Processing"} : s.algorithmFamily;
    if ((c = alg.getAlgorithmFamilyCode().set(f.value.c_str(), f.scheme.c_str(), f.meaning.c_str())).bad() ||
        (c = alg.setAlgorithmName(s.algorithmName.empty() ? "CineVox" : s.algorithmName.c_str())).bad() ||
        (c = alg.setAlgorithmVersion(s.algorithmVersion.c_str())).bad() ||
        (c = out->setSegmentationAlgorithmIdentification(alg)).bad())
      return dcmError("algorithm identification of " + name, c, path);
  }
  return owned.release();
}

}  // namespace

Status writeSeg(const Segmentation& sg, const Volume& source, const std::string& path,
                const SegWriteOptions& o) {
  const auto& d = sg.dims();
  if (d[0] != source.dims()[0] || d[1] != source.dims()[1] || d[2] != source.dims()[2] || d[0] > 65535 ||
      d[1] > 65535 || d[0] <= 0 || d[1] <= 0)
    return makeError("seg.bad_geometry", "the segmentation is not on the source volume's grid", path);
  const Geometry& sgG = sg.geometry();
  const Geometry& srcG = source.geometry;
  bool sameGrid = norm(sgG.originMm - srcG.originMm) <= 1e-3 && norm(sgG.spacingMm - srcG.spacingMm) <= 1e-6;
  for (int c = 0; c < 3; ++c) sameGrid = sameGrid && norm(sgG.direction[c] - srcG.direction[c]) <= 1e-6;
  if (!sameGrid)
    return makeError("seg.bad_geometry", "the segmentation's geometry is not the source volume's", path);
  CVX_TRY(refuseSourceFolder(source, path));
  dcm::initDcmtk();

  IODGeneralEquipmentModule::EquipmentInfo eq(o.manufacturer.c_str(), o.deviceSerialNumber.c_str(),
                                              o.modelName.c_str(), o.softwareVersions.c_str());
  ContentIdentificationMacro ci("1", o.contentLabel.c_str(), o.seriesDescription.c_str(),
                                o.contentCreatorName.c_str());
  DcmSegmentation* raw = nullptr;
  const Uint16 rows = static_cast<Uint16>(d[1]), cols = static_cast<Uint16>(d[0]);
  if (o.fractional && o.maxFractionalValue == 0)
    return makeError("seg.write_failed", "MaximumFractionalValue must be 1..255", path);
  OFCondition c = o.fractional
                      ? DcmSegmentation::createFractionalSegmentation(
                            raw, rows, cols, DcmSegTypes::SFT_PROBABILITY, o.maxFractionalValue, eq, ci)
                      : DcmSegmentation::createBinarySegmentation(raw, rows, cols, eq, ci);
  if (c.bad() || !raw) return dcmError("create", c, path);
  std::unique_ptr<DcmSegmentation> doc(raw);

  // Patient, study and frame of reference from the first source file; else from the volume.
  std::string sopClass = sg.reference.sopClassUid;
  bool imported = false;
  if (!source.sources.empty() && !source.sources[0].file.empty()) {
    auto ff = std::make_unique<DcmFileFormat>();
    if (dcm::loadAsWritten(source.sources[0].file, *ff, 256).good()) {
      imported = doc->importHierarchy(*ff->getDataset(), OFTrue, OFTrue, OFTrue, OFFalse).good();
      OFString v;
      if (sopClass.empty() && ff->getDataset()->findAndGetOFString(DCM_SOPClassUID, v).good())
        sopClass = v.c_str();
    }
  }
  const std::string studyUid =
      sg.reference.studyInstanceUid.empty() ? source.info.studyInstanceUid : sg.reference.studyInstanceUid;
  const std::string forUid = sg.reference.frameOfReferenceUid.empty() ? source.info.frameOfReferenceUid
                                                                      : sg.reference.frameOfReferenceUid;
  if (!imported) {
    doc->getPatient().setPatientName(source.info.patientName.c_str());
    doc->getPatient().setPatientID(source.info.patientId.c_str());
    if (!studyUid.empty()) doc->getStudy().setStudyInstanceUID(studyUid.c_str());
  }
  // PatientAge (AS) is nnnD/W/M/Y; sources write "0Y" too: pad such a value, drop any other (an
  // invalid value would make DCMTK refuse the whole file).
  OFString age;
  if (doc->getPatientStudy().getPatientAge(age).good() && !age.empty()) {
    std::string a = age.c_str();
    const bool digits = a.size() >= 2 && a.size() <= 4 &&
                        std::all_of(a.begin(), a.end() - 1, [](char ch) { return ch >= '0' && ch <= '9'; });
    const bool unit = std::string("DWMY").find(a.back()) != std::string::npos;
    doc->getPatientStudy().setPatientAge(
        (digits && unit ? std::string(4 - a.size(), '0') + a : std::string()).c_str(), OFFalse);
  }
  if (!forUid.empty())
    doc->getFrameOfReference().setFrameOfReferenceUID(forUid.c_str());
  else {
    char uid[100];
    doc->getFrameOfReference().setFrameOfReferenceUID(
        dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  }
  if (sopClass.empty()) sopClass = UID_CTImageStorage;
  doc->getSeries().setSeriesDescription(o.seriesDescription.c_str());
  doc->getSeries().setSeriesNumber(std::to_string(o.seriesNumber).c_str());

  // Dimensions: segment number, then position.
  char dimUid[100];
  dcmGenerateUniqueIdentifier(dimUid, SITE_INSTANCE_UID_ROOT);
  IODMultiframeDimensionModule& dim = doc->getDimensions();
  if ((c = dim.addDimensionIndex(DCM_ReferencedSegmentNumber, dimUid, DCM_SegmentIdentificationSequence,
                                 "ReferencedSegmentNumber"))
          .bad() ||
      (c = dim.addDimensionIndex(DCM_ImagePositionPatient, dimUid, DCM_PlanePositionSequence,
                                 "ImagePositionPatient"))
          .bad())
    return dcmError("dimensions", c, path);

  // Shared groups: orientation and pixel measures.
  const Geometry& g = sg.geometry();
  const Vec3 r = g.direction[0], col = g.direction[1];
  std::unique_ptr<FGPlaneOrientationPatient> orient(
      FGPlaneOrientationPatient::createMinimal(ds(r.x).c_str(), ds(r.y).c_str(), ds(r.z).c_str(),
                                               ds(col.x).c_str(), ds(col.y).c_str(), ds(col.z).c_str()));
  if (!orient || (c = doc->addForAllFrames(*orient)).bad()) return dcmError("orientation", c, path);
  FGPixelMeasures pm;
  const double between = std::fabs(g.spacingMm.z * dot(g.direction[2], normalized(cross(r, col))));
  if ((c = pm.setPixelSpacing((ds(g.spacingMm.y) + "\\" + ds(g.spacingMm.x)).c_str())).bad() ||
      (c = pm.setSliceThickness(ds(between).c_str())).bad() ||
      (c = pm.setSpacingBetweenSlices(ds(between).c_str())).bad() || (c = doc->addForAllFrames(pm)).bad())
    return dcmError("pixel measures", c, path);

  // The referenced series: every source instance.
  auto* series = new IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem;
  doc->getCommonInstanceReference().getReferencedSeriesItems().push_back(series);
  const std::string seriesUid =
      sg.reference.seriesInstanceUid.empty() ? source.info.seriesInstanceUid : sg.reference.seriesInstanceUid;
  series->setSeriesInstanceUID(seriesUid.c_str());
  const auto& uids = sg.reference.sopInstanceUids;
  for (const auto& u : uids) {
    if (u.empty()) continue;
    auto* inst = new SOPInstanceReferenceMacro;
    inst->setReferencedSOPClassUID(sopClass.c_str());
    inst->setReferencedSOPInstanceUID(u.c_str());
    series->getReferencedInstanceItems().push_back(inst);
  }

  // Segments and their frames.
  const size_t frameSize = static_cast<size_t>(d[0] * d[1]);
  std::vector<Uint8> frame(frameSize);
  size_t framesWritten = 0;
  for (size_t i = 0; i < sg.segments().size(); ++i) {
    const std::vector<uint8_t> m = sg.mask(i);
    if (std::none_of(m.begin(), m.end(), [](uint8_t v) { return v != 0; })) {  // no frame: DCMTK refuses it
      if (o.warnings)
        o.warnings->push_back({"seg.empty_segment",
                               "segment \"" + segmentName(sg.segments()[i]) + "\" holds no voxel and is not written", path});
      continue;
    }
    auto made = makeSegment(sg.segments()[i], path);
    if (!made) return made.error();
    Uint16 number = 0;
    if ((c = doc->addSegment(*made, number)).bad()) {
      delete *made;
      return dcmError("add segment", c, path);
    }
    for (int64_t z = 0; z < d[2]; ++z) {
      const uint8_t* s = m.data() + static_cast<size_t>(z) * frameSize;
      if (std::none_of(s, s + frameSize, [](uint8_t v) { return v != 0; })) continue;
      // Binary: non-zero is set; fractional: in = MaximumFractionalValue, out = 0.
      const Uint8 on = o.fractional ? o.maxFractionalValue : 1;
      for (size_t k = 0; k < frameSize; ++k) frame[k] = s[k] ? on : 0;
      const Vec3 p = g.worldAt(0, 0, static_cast<double>(z));
      std::unique_ptr<FGPlanePosPatient> pos(
          FGPlanePosPatient::createMinimal(ds(p.x).c_str(), ds(p.y).c_str(), ds(p.z).c_str()));
      FGFrameContent content;
      content.setDimensionIndexValues(number, 0);
      content.setDimensionIndexValues(static_cast<Uint32>(z + 1), 1);
      OFVector<FGBase*> groups{pos.get(), &content};
      FGDerivationImage der;
      const std::string& sop =
          static_cast<size_t>(z) < uids.size() ? uids[static_cast<size_t>(z)] : std::string();
      if (!sop.empty()) {
        DerivationImageItem* item = nullptr;
        if ((c = der.addDerivationImageItem(CodeSequenceMacro("113076", "DCM", "Segmentation"), "", item))
                .bad())
          return dcmError("derivation", c, path);
        auto* src = new SourceImageItem;
        src->getImageSOPInstanceReference().setReferencedSOPClassUID(sopClass.c_str());
        src->getImageSOPInstanceReference().setReferencedSOPInstanceUID(sop.c_str());
        src->getPurposeOfReferenceCode().set("121322", "DCM", "Source image for image processing operation");
        item->getSourceImageItems().push_back(src);
        groups.push_back(&der);
      }
      if ((c = doc->addFrame(frame.data(), number, groups)).bad()) return dcmError("frame", c, path);
      ++framesWritten;
    }
  }
  if (framesWritten == 0)
    return makeError("seg.empty", "no segment holds a voxel: a SEG needs at least one frame", path);

  const std::string tmp = path + ".tmp";
  if ((c = doc->saveFile(tmp.c_str(),
                         o.deflate ? EXS_DeflatedLittleEndianExplicit : EXS_LittleEndianExplicit))
          .bad()) {
    std::remove(tmp.c_str());
    return dcmError("save", c, path);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return makeError("io.write_failed", "rename: " + ec.message(), path);
  }
  return {};
}

}  // namespace cvx::io

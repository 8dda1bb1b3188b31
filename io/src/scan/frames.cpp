// Per-frame geometry, rescale and time candidates (classic and enhanced multi-frame).
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvrat.h>

#include "dicom/dcm_util.h"
#include "dicom/fill.h"
#include "scan/internal.h"

namespace cvx::io::detail {
namespace {

// What an unparseable value of a functional group leaves in place.
constexpr const char* kKept = "the shared or top-level value is kept";

// Applies the functional group macros of one item (shared or per-frame) to a frame; values present
// but not numbers go to notes (scan_fill.h noteUnparsed).
void applyGroups(DcmItem& g, FrameHeader& f, std::vector<Diagnostic>* notes) {
  if (DcmItem* it = dcm::firstItem(g, DCM_PlanePositionSequence)) {
    const dcm::DcmAccess a{it};
    const auto p = getVec3(a, DCM_ImagePositionPatient);
    noteUnparsed(a, DCM_ImagePositionPatient, p, "geometry.invalid_position", "ImagePositionPatient", kKept, notes);
    if (p) f.position = p;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_PlaneOrientationSequence)) {
    const dcm::DcmAccess a{it};
    const auto o = getVec6(a, DCM_ImageOrientationPatient);
    noteUnparsed(a, DCM_ImageOrientationPatient, o, "geometry.invalid_orientation", "ImageOrientationPatient", kKept,
                 notes);
    if (o) f.orientation = o;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_PixelMeasuresSequence)) {
    const dcm::DcmAccess a{it};
    const auto s = getVec2(a, DCM_PixelSpacing);
    noteUnparsed(a, DCM_PixelSpacing, s, "geometry.invalid_spacing", "PixelSpacing",
                 "the shared or top-level value is kept (1 x 1 mm, spacing unknown, when there is none)", notes);
    if (s) f.pixelSpacing = s;
    const auto t = a.num(DCM_SliceThickness);
    noteUnparsed(a, DCM_SliceThickness, t, "geometry.invalid_thickness", "SliceThickness", kKept, notes);
    if (t) f.sliceThickness = *t;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_PixelValueTransformationSequence)) {
    const dcm::DcmAccess a{it};
    const auto s = a.num(DCM_RescaleSlope), i = a.num(DCM_RescaleIntercept);
    noteUnparsed(a, DCM_RescaleSlope, s, "pixel.invalid_rescale", "RescaleSlope", kKept, notes);
    noteUnparsed(a, DCM_RescaleIntercept, i, "pixel.invalid_rescale", "RescaleIntercept", kKept, notes);
    if (s) f.rescaleSlope = *s;  // 0 too: the planner replaces it
    if (i) f.rescaleIntercept = *i;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_FrameContentSequence)) {
    f.dimensionIndex.clear();
    for (unsigned long k = 0; k < 16; ++k) {
      Uint32 v = 0;
      if (it->findAndGetUint32(DCM_DimensionIndexValues, v, k).bad()) break;
      f.dimensionIndex.push_back(v);
    }
    if (auto t = dcm::num(*it, DCM_TemporalPositionIndex)) f.temporalPositionId = t;
    if (auto s = dcm::num(*it, DCM_InStackPositionNumber)) f.stackPosition = static_cast<int>(*s);
    if (auto a = dateTimeToSeconds(dcm::str(*it, DCM_FrameAcquisitionDateTime))) f.acquisitionTimeS = a;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_CardiacSynchronizationSequence))
    if (auto t = dcm::num(*it, DCM_NominalCardiacTriggerDelayTime)) f.triggerTimeMs = t;
  if (DcmItem* it = dcm::firstItem(g, DCM_MRTimingAndRelatedParametersSequence))
    if (auto tr = dcm::num(*it, DCM_RepetitionTime)) f.repetitionTimeMs = tr;
  if (DcmItem* it = dcm::firstItem(g, DCM_MREchoSequence))
    if (auto e = dcm::num(*it, DCM_EffectiveEchoTime)) f.echoTimeMs = e;
}

void readDimensionPointers(DcmItem& ds, FileHeader& h) {
  DcmSequenceOfItems* seq = nullptr;
  if (ds.findAndGetSequence(DCM_DimensionIndexSequence, seq).bad() || !seq) return;
  for (unsigned long i = 0; i < seq->card(); ++i) {
    DcmItem* it = seq->getItem(i);
    DcmTagKey key;
    DcmElement* el = nullptr;
    if (it->findAndGetElement(DCM_DimensionIndexPointer, el).good() && el) {
      DcmAttributeTag* at = dynamic_cast<DcmAttributeTag*>(el);
      if (at && at->getTagVal(key, 0).good())
        h.dimensionIndexPointers.push_back((static_cast<uint32_t>(key.getGroup()) << 16) | key.getElement());
    }
  }
}

}  // namespace

void readFrames(DcmItem& ds, FileHeader& h) {
  FrameHeader base;
  dcm::DcmAccess acc{&ds};
  fillClassicFrame(acc, base, &h.warnings);
  DcmSequenceOfItems* perFrame = nullptr;
  ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
  DcmItem* shared = dcm::firstItem(ds, DCM_SharedFunctionalGroupsSequence);
  if (shared) applyGroups(*shared, base, &h.warnings);
  h.enhanced = perFrame != nullptr;
  if (h.enhanced) readDimensionPointers(ds, h);
  const uint32_t perFrameCount = perFrame ? static_cast<uint32_t>(perFrame->card()) : 0;
  h.frames.reserve(h.numberOfFrames);
  for (uint32_t i = 0; i < h.numberOfFrames; ++i) {
    FrameHeader f = base;
    f.frame = i;
    if (i < perFrameCount) applyGroups(*perFrame->getItem(i), f, &h.warnings);
    h.frames.push_back(std::move(f));
  }
  if (h.imageType.find("MOSAIC") != std::string::npos) readSiemensCsa(ds, h);
  fillDoseGrid(acc, h);
}

}  // namespace cvx::io::detail

// Per-frame geometry, rescale and time candidates (classic and enhanced multi-frame).
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvrat.h>

#include "dcm_util.h"
#include "scan_fill.h"
#include "scan_internal.h"

namespace cvx::io::detail {
namespace {

// Applies the functional group macros of one item (shared or per-frame) to a frame.
void applyGroups(DcmItem& g, FrameHeader& f) {
  if (DcmItem* it = dcm::firstItem(g, DCM_PlanePositionSequence))
    if (auto p = getVec3(dcm::DcmAccess{it}, DCM_ImagePositionPatient)) f.position = p;
  if (DcmItem* it = dcm::firstItem(g, DCM_PlaneOrientationSequence))
    if (auto o = getVec6(dcm::DcmAccess{it}, DCM_ImageOrientationPatient)) f.orientation = o;
  if (DcmItem* it = dcm::firstItem(g, DCM_PixelMeasuresSequence)) {
    if (auto s = getVec2(dcm::DcmAccess{it}, DCM_PixelSpacing)) f.pixelSpacing = s;
    if (auto t = dcm::num(*it, DCM_SliceThickness)) f.sliceThickness = *t;
  }
  if (DcmItem* it = dcm::firstItem(g, DCM_PixelValueTransformationSequence)) {
    if (auto s = dcm::num(*it, DCM_RescaleSlope)) f.rescaleSlope = *s;  // 0 too: the planner replaces it
    if (auto i = dcm::num(*it, DCM_RescaleIntercept)) f.rescaleIntercept = *i;
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
  if (shared) applyGroups(*shared, base);
  h.enhanced = perFrame != nullptr;
  if (h.enhanced) readDimensionPointers(ds, h);
  const uint32_t perFrameCount = perFrame ? static_cast<uint32_t>(perFrame->card()) : 0;
  h.frames.reserve(h.numberOfFrames);
  for (uint32_t i = 0; i < h.numberOfFrames; ++i) {
    FrameHeader f = base;
    f.frame = i;
    if (i < perFrameCount) applyGroups(*perFrame->getItem(i), f);
    h.frames.push_back(std::move(f));
  }
  if (h.imageType.find("MOSAIC") != std::string::npos) readSiemensCsa(ds, h);
  fillDoseGrid(acc, h);
}

}  // namespace cvx::io::detail

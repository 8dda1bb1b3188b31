// SPDX-License-Identifier: MIT
// Reading DICOM SEG (binary and fractional) into a cvx::Segmentation: the SEG's functional groups
// are read with DCMTK, the frames are decoded by io's decoder (native 1-bit and 8-bit, Deflated
// Image Frame Compression, and every other syntax it knows), each frame placed by its position.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmiod/cielabutil.h>

#include <cvx/io/dicom.h>
#include <cvx/io/seg.h>

#include "decode/decode.h"
#include "dicom/dcm_util.h"
#include "seg/seg_common.h"

namespace cvx::io {
namespace {

constexpr const char* kSegSopClass = "1.2.840.10008.5.1.4.1.1.66.4";

struct FrameInfo {
  uint16_t segment = 0;
  std::optional<Vec3> position;
  std::string refSop;
  int64_t slice = -1;
};

Segment segmentFrom(DcmItem* it) {
  Segment s;
  Uint16 number = 0;
  if (it->findAndGetUint16(DCM_SegmentNumber, number).good()) s.number = number;
  s.name = seg::text(it, DCM_SegmentLabel);
  s.category = seg::code(it, DCM_SegmentedPropertyCategoryCodeSequence);
  s.type = seg::code(it, DCM_SegmentedPropertyTypeCodeSequence);
  if (!parseSegmentAlgorithm(seg::text(it, DCM_SegmentAlgorithmType), s.algorithm))
    s.algorithm = SegmentAlgorithm::Manual;
  s.algorithmName = seg::text(it, DCM_SegmentAlgorithmName);
  if (DcmItem* a = seg::item(it, DCM_SegmentationAlgorithmIdentificationSequence)) {
    s.algorithmVersion = seg::text(a, DCM_AlgorithmVersion);
    s.algorithmFamily = seg::code(a, DCM_AlgorithmFamilyCodeSequence);
    if (s.algorithmName.empty()) s.algorithmName = seg::text(a, DCM_AlgorithmName);
  }
  Uint16 lab[3] = {0, 0, 0};
  if (it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[0], 0).good() &&
      it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[1], 1).good() &&
      it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[2], 2).good()) {
    double r = 0, g = 0, b = 0;
    IODCIELabUtil::dicomLab2RGB(r, g, b, lab[0], lab[1], lab[2]);
    auto to8 = [](double x) { return static_cast<uint8_t>(std::clamp(std::lround(x * 255.0), 0L, 255L)); };
    s.rgb = {to8(r), to8(g), to8(b)};
  }
  return s;
}

// The referenced SOP instance of a frame: DerivationImageSequence > SourceImageSequence, else the
// Frame's own ReferencedImageSequence.
std::string frameRef(DcmItem* pf) {
  if (DcmItem* d = seg::item(pf, DCM_DerivationImageSequence))
    if (DcmItem* s = seg::item(d, DCM_SourceImageSequence)) return seg::text(s, DCM_ReferencedSOPInstanceUID);
  if (DcmItem* r = seg::item(pf, DCM_ReferencedImageSequence))
    return seg::text(r, DCM_ReferencedSOPInstanceUID);
  return {};
}

}  // namespace

namespace {
Result<SegReadResult> readSegImpl(const std::string& path, const Volume* reference);
}  // namespace

// Nothing escapes: an exception (DCMTK or an allocation) becomes seg.bad_file.
Result<SegReadResult> readSeg(const std::string& path, const Volume* reference) {
  try {
    return readSegImpl(path, reference);
  } catch (const std::exception& e) {
    return makeError("seg.bad_file", std::string("reading failed: ") + e.what(), path);
  }
}

namespace {
Result<SegReadResult> readSegImpl(const std::string& path, const Volume* reference) {
  // The decoder's header reader checks the pixel module and the Pixel Data's length against the
  // file before anything is allocated (dicom.truncated, dicom.pixel_length, ...).
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return makeError("io.not_found", "path does not exist", path);
  auto header = readHeader(path);
  if (!header) {
    const Error& e = header.error();
    if (e.code == "io.not_found" || e.code == "io.open_failed") return e;
    return makeError("seg.bad_file", e.code + ": " + e.message, path);
  }
  const FileHeader& h = *header;
  if (h.sopClassUid != kSegSopClass)
    return makeError("seg.not_seg", "SOP class " + h.sopClassUid + " is not Segmentation Storage", path);
  if (!h.hasPixelData) return makeError("seg.bad_file", "no Pixel Data", path);

  dcm::initDcmtk();
  auto ff = std::make_unique<DcmFileFormat>();
  if (dcm::loadAsWritten(path, *ff, 4096).bad())
    return makeError("seg.bad_file", "DCMTK cannot parse it", path);
  DcmDataset* ds = ff->getDataset();

  SegReadResult out;
  out.segmentationType = seg::text(ds, DCM_SegmentationType);
  out.sopInstanceUid = h.sopInstanceUid;
  out.seriesInstanceUid = h.info.seriesInstanceUid;
  const PixelFormat& pf = h.pixel;
  const bool fractional = out.segmentationType == "FRACTIONAL";
  if (!fractional && out.segmentationType != "BINARY")
    return makeError("seg.unsupported", "SegmentationType '" + out.segmentationType + "'", path);
  if (pf.samplesPerPixel != 1 || (fractional ? pf.bitsAllocated != 8 : pf.bitsAllocated != 1))
    return makeError("seg.unsupported",
                     "BitsAllocated " + std::to_string(pf.bitsAllocated) + " for " + out.segmentationType,
                     path);
  if (fractional) {
    out.fractionalType = seg::text(ds, DCM_SegmentationFractionalType);
    Uint16 maxv = 0;
    ds->findAndGetUint16(DCM_MaximumFractionalValue, maxv);
    if (maxv == 0) return makeError("seg.bad_file", "fractional SEG without MaximumFractionalValue", path);
    out.maxFractionalValue = maxv;
  }

  // Segments.
  std::vector<Segment> segments;
  for (unsigned long i = 0; DcmItem* it = seg::item(ds, DCM_SegmentSequence, i); ++i)
    segments.push_back(segmentFrom(it));
  if (segments.empty()) return makeError("seg.bad_file", "empty SegmentSequence", path);

  // Frames: per-frame groups first, then the shared ones.
  const uint32_t nFrames = h.numberOfFrames;
  DcmItem* shared = seg::item(ds, DCM_SharedFunctionalGroupsSequence);
  DcmSequenceOfItems* perSeq = nullptr;
  if (ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perSeq).bad() || !perSeq ||
      perSeq->card() != nFrames)
    return makeError("seg.bad_file", "PerFrameFunctionalGroupsSequence does not hold NumberOfFrames items",
                     path);
  auto group = [&](DcmItem* pfItem, const DcmTagKey& seq) {
    DcmItem* r = seg::item(pfItem, seq);
    return r ? r : seg::item(shared, seq);
  };
  std::vector<FrameInfo> frames(nFrames);
  std::optional<std::vector<double>> iop, spacing;
  double sliceSpacing = 0, thickness = 0;
  for (uint32_t f = 0; f < nFrames; ++f) {
    DcmItem* pfItem = perSeq->getItem(f);
    FrameInfo& fi = frames[f];
    Uint16 sn = 0;
    if (DcmItem* id = group(pfItem, DCM_SegmentIdentificationSequence))
      id->findAndGetUint16(DCM_ReferencedSegmentNumber, sn);
    fi.segment = sn;
    if (auto p = seg::numbers(group(pfItem, DCM_PlanePositionSequence), DCM_ImagePositionPatient, 3))
      fi.position = Vec3{(*p)[0], (*p)[1], (*p)[2]};
    fi.refSop = frameRef(pfItem);
    if (f == 0) {
      iop = seg::numbers(group(pfItem, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient, 6);
      DcmItem* pm = group(pfItem, DCM_PixelMeasuresSequence);
      spacing = seg::numbers(pm, DCM_PixelSpacing, 2);
      if (auto v = seg::numbers(pm, DCM_SpacingBetweenSlices, 1)) sliceSpacing = (*v)[0];
      if (auto v = seg::numbers(pm, DCM_SliceThickness, 1)) thickness = (*v)[0];
    }
  }

  // The grid.
  Segmentation& sg = out.segmentation;
  const std::string segFor = seg::text(ds, DCM_FrameOfReferenceUID);
  if (reference) {
    const auto& d = reference->dims();
    if (d[0] != pf.cols || d[1] != pf.rows)
      return makeError("seg.bad_geometry",
                       "SEG frames are " + std::to_string(pf.cols) + "x" + std::to_string(pf.rows) +
                           ", the referenced volume " + std::to_string(d[0]) + "x" + std::to_string(d[1]),
                       path);
    if (!segFor.empty() && !reference->info.frameOfReferenceUid.empty() &&
        segFor != reference->info.frameOfReferenceUid)
      return makeError("seg.no_reference", "the SEG's frame of reference is not the volume's", path);
    if (iop) {
      const Vec3 r{(*iop)[0], (*iop)[1], (*iop)[2]}, c{(*iop)[3], (*iop)[4], (*iop)[5]};
      const Geometry& g = reference->geometry;
      if (dot(normalized(r), g.direction[0]) < 0.9999 || dot(normalized(c), g.direction[1]) < 0.9999)
        return makeError("seg.bad_geometry", "the SEG's orientation is not the referenced volume's", path);
    }
    sg = Segmentation::onGridOf(*reference);
  } else {
    std::vector<Vec3> positions;
    for (const auto& fi : frames)
      if (fi.position) positions.push_back(*fi.position);
    if (!iop || !spacing || positions.size() != frames.size())
      return makeError("seg.no_reference",
                       "no referenced volume, and the SEG lacks orientation, spacing or a position per frame",
                       path);
    auto grid = seg::gridFromPositions({(*iop)[0], (*iop)[1], (*iop)[2]}, {(*iop)[3], (*iop)[4], (*iop)[5]},
                                       (*spacing)[1], (*spacing)[0], positions, pf.cols, pf.rows,
                                       sliceSpacing, thickness);
    if (!grid)
      return makeError("seg.bad_geometry", "the frame positions do not lie on one regular grid", path);
    sg = Segmentation(grid->dims, grid->geometry);
    sg.reference.studyInstanceUid = h.info.studyInstanceUid;
    sg.reference.frameOfReferenceUid = segFor;
    sg.reference.sopInstanceUids.assign(static_cast<size_t>(grid->dims[2]), std::string());
    if (DcmItem* rs = seg::item(ds, DCM_ReferencedSeriesSequence)) {
      sg.reference.seriesInstanceUid = seg::text(rs, DCM_SeriesInstanceUID);
      sg.reference.sopClassUid =
          seg::text(seg::item(rs, DCM_ReferencedInstanceSequence), DCM_ReferencedSOPClassUID);
    }
  }

  // Place every frame on a slice: by position, else by the referenced SOP instance.
  const auto& dims = sg.dims();
  for (uint32_t f = 0; f < nFrames; ++f) {
    FrameInfo& fi = frames[f];
    if (fi.position) {
      if (auto k = seg::sliceAt(sg.geometry(), dims, *fi.position)) fi.slice = *k;
    } else if (!fi.refSop.empty()) {
      const auto& uids = sg.reference.sopInstanceUids;
      auto it = std::find(uids.begin(), uids.end(), fi.refSop);
      if (it != uids.end()) fi.slice = it - uids.begin();
    }
    if (fi.slice < 0)
      return makeError("seg.frame_off_grid",
                       "frame " + std::to_string(f + 1) + " lies on no slice of the grid", path);
    if (!reference && !fi.refSop.empty())
      sg.reference.sopInstanceUids[static_cast<size_t>(fi.slice)] = fi.refSop;
  }

  // The working mask and a first layer must fit the memory budget: a SEG whose positions span a
  // huge grid is refused before anything that size is allocated.
  const uint64_t voxels = static_cast<uint64_t>(sg.voxelsPerLayer());
  const MemoryBudget budget = defaultMemoryBudget();
  if (voxels * 2 > budget.bytes)
    return makeError("io.over_budget",
                     "the SEG's grid holds " + std::to_string(voxels) +
                         " voxels per layer, over the budget (" + budget.rule + ")",
                     path);

  // Decode each segment's frames, a few at a time, into its mask.
  const size_t frameSize = static_cast<size_t>(pf.rows) * pf.cols;
  const int threshold = fractional ? out.maxFractionalValue : 1;
  std::vector<uint8_t> mask(static_cast<size_t>(sg.voxelsPerLayer()));
  std::vector<uint8_t> scratch;
  for (Segment& s : segments) {
    std::vector<uint32_t> mine;
    for (uint32_t f = 0; f < nFrames; ++f)
      if (frames[f].segment == s.number) mine.push_back(f);
    std::fill(mask.begin(), mask.end(), 0);
    constexpr size_t kChunk = 16;
    for (size_t first = 0; first < mine.size(); first += kChunk) {
      const size_t n = std::min(kChunk, mine.size() - first);
      scratch.resize(n * frameSize);
      std::vector<detail::FrameDest> dest(n);
      for (size_t i = 0; i < n; ++i)
        dest[i] = {mine[first + i], reinterpret_cast<std::byte*>(scratch.data() + i * frameSize)};
      CVX_TRY(detail::decodeFrames(path, pf, dest));
      for (size_t i = 0; i < n; ++i) {
        const uint8_t* src = scratch.data() + i * frameSize;
        uint8_t* dst = mask.data() + static_cast<size_t>(frames[mine[first + i]].slice) * frameSize;
        for (size_t p = 0; p < frameSize; ++p)
          if (src[p] && 2 * static_cast<int>(src[p]) >= threshold) dst[p] = 1;
      }
    }
    if (mine.empty())
      out.warnings.push_back(
          {"seg.empty_segment", "segment " + std::to_string(s.number) + " has no frames", path});
    s.layer = 0;
    s.label = 0;
    CVX_TRY(sg.addSegment(s, mask.data()));
  }
  for (const auto& fi : frames)
    if (sg.findByNumber(fi.segment) < 0)
      return makeError("seg.bad_file",
                       "a frame names segment " + std::to_string(fi.segment) + ", which is not defined",
                       path);
  return out;
}

}  // namespace

}  // namespace cvx::io

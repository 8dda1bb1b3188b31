// SPDX-License-Identifier: MIT
// RTSTRUCT import: closed planar contours rasterised onto a reference grid with the even-odd rule.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cvx/io/seg.h>

#include "dicom/dcm_util.h"
#include "seg/seg_common.h"

namespace cvx::io {
namespace {

constexpr const char* kRtStructSopClass = "1.2.840.10008.5.1.4.1.1.481.3";

struct Edge {
  double x0, y0, x1, y1;  // voxel coordinates (i, j) of one polygon edge
};

// Even-odd fill of one slice: pixel (i, j) is on when a ray from its centre towards +x crosses the
// edges an odd number of times. Crossings are found per row at y = j with the half-open rule
// (an edge counts when exactly one end has y <= j), so a vertex on the row counts once.
void fillSlice(const std::vector<Edge>& edges, int64_t nx, int64_t ny, uint8_t* out) {
  std::vector<double> xs;
  for (int64_t j = 0; j < ny; ++j) {
    const double y = static_cast<double>(j);
    xs.clear();
    for (const Edge& e : edges) {
      if ((e.y0 <= y) == (e.y1 <= y)) continue;
      const double x = e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
      if (!std::isnan(x)) xs.push_back(x);
    }
    std::sort(xs.begin(), xs.end());
    // Centre i is inside when an odd number of crossings lie at x > i: i in [x_{2m}, x_{2m+1}).
    for (size_t m = 0; m + 1 < xs.size(); m += 2) {
      // Clamped before the conversion: a far-away contour stays defined behaviour.
      const double fx = static_cast<double>(nx);
      const int64_t a = static_cast<int64_t>(std::ceil(std::clamp(xs[m], 0.0, fx)));
      const int64_t b = static_cast<int64_t>(std::ceil(std::clamp(xs[m + 1], 0.0, fx)));
      for (int64_t i = a; i < b; ++i) out[j * nx + i] = 1;
    }
  }
}

}  // namespace

namespace {
Result<Segmentation> readRtStructImpl(const std::string& path, const Volume& reference,
                                      std::vector<Diagnostic>* warnings);
}  // namespace

// Nothing escapes: an exception (DCMTK or an allocation) becomes rtstruct.bad_file.
Result<Segmentation> readRtStruct(const std::string& path, const Volume& reference,
                                  std::vector<Diagnostic>* warnings) {
  try {
    return readRtStructImpl(path, reference, warnings);
  } catch (const std::exception& e) {
    return makeError("rtstruct.bad_file", std::string("reading failed: ") + e.what(), path);
  }
}

namespace {
Result<Segmentation> readRtStructImpl(const std::string& path, const Volume& reference,
                                      std::vector<Diagnostic>* warnings) {
  dcm::initDcmtk();
  auto ff = std::make_unique<DcmFileFormat>();
  if (dcm::loadAsWritten(path, *ff, DCM_MaxReadLength).bad())
    return makeError("rtstruct.bad_file", "DCMTK cannot parse it", path);
  DcmDataset* ds = ff->getDataset();
  if (seg::text(ds, DCM_SOPClassUID) != kRtStructSopClass)
    return makeError("rtstruct.not_rtstruct",
                     "SOP class " + seg::text(ds, DCM_SOPClassUID) + " is not RT Structure Set", path);
  auto warn = [&](std::string code, std::string msg) {
    if (warnings) warnings->push_back({std::move(code), std::move(msg), path});
  };

  // ROI names and frames of reference by ROI number.
  struct Roi {
    std::string name, frameOfReference;
  };
  std::map<int, Roi> rois;
  for (unsigned long i = 0; DcmItem* it = seg::item(ds, DCM_StructureSetROISequence, i); ++i) {
    Sint32 n = 0;
    it->findAndGetSint32(DCM_ROINumber, n);
    rois[n] = {seg::text(it, DCM_ROIName), seg::text(it, DCM_ReferencedFrameOfReferenceUID)};
  }

  Segmentation sg = Segmentation::onGridOf(reference);
  const Geometry& g = sg.geometry();
  const Mat4 toVoxel = g.voxelFromWorld();
  const auto& d = sg.dims();
  const int64_t slice = d[0] * d[1];
  std::vector<uint8_t> mask(static_cast<size_t>(sg.voxelsPerLayer()));
  for (unsigned long i = 0; DcmItem* rc = seg::item(ds, DCM_ROIContourSequence, i); ++i) {
    Sint32 number = 0;
    rc->findAndGetSint32(DCM_ReferencedROINumber, number);
    const Roi roi = rois.count(number) ? rois[number] : Roi{"ROI " + std::to_string(number), {}};
    if (!roi.frameOfReference.empty() && !reference.info.frameOfReferenceUid.empty() &&
        roi.frameOfReference != reference.info.frameOfReferenceUid)
      return makeError("rtstruct.no_reference", "ROI '" + roi.name + "' is in another frame of reference",
                       path);
    std::map<int64_t, std::vector<Edge>> edges;  // by slice
    for (unsigned long c = 0; DcmItem* ct = seg::item(rc, DCM_ContourSequence, c); ++c) {
      if (seg::text(ct, DCM_ContourGeometricType) != "CLOSED_PLANAR") continue;
      DcmElement* el = nullptr;
      if (ct->findAndGetElement(DCM_ContourData, el).bad() || !el) continue;
      const unsigned long nv = el->getVM();
      if (nv % 3 != 0 || nv < 9)
        return makeError("rtstruct.bad_contour", "ContourData of " + std::to_string(nv) + " values", path);
      std::vector<Vec3> pts(nv / 3);
      for (unsigned long v = 0; v < nv; ++v) {
        Float64 x = 0;
        if (el->getFloat64(x, v).bad() || !std::isfinite(x))
          return makeError("rtstruct.bad_contour", "a ContourData value is not a number", path);
        pts[v / 3][static_cast<int>(v % 3)] = x;
      }
      double kSum = 0;
      for (Vec3& p : pts) {
        p = toVoxel.applyPoint(p);
        kSum += p.z;
      }
      const double k = std::round(kSum / static_cast<double>(pts.size()));
      const bool planar =
          std::all_of(pts.begin(), pts.end(), [&](const Vec3& p) { return std::fabs(p.z - k) < 0.5; });
      if (!planar || k < 0 || k >= static_cast<double>(d[2])) {
        warn("rtstruct.off_grid", "a contour of '" + roi.name + "' lies on no slice of the grid");
        continue;
      }
      auto& e = edges[static_cast<int64_t>(k)];
      for (size_t v = 0; v < pts.size(); ++v) {
        const Vec3& a = pts[v];
        const Vec3& b = pts[(v + 1) % pts.size()];  // closed: the last point joins the first
        e.push_back({a.x, a.y, b.x, b.y});
      }
    }
    if (edges.empty()) {
      warn("rtstruct.empty_roi", "ROI '" + roi.name + "' has no closed planar contour on the grid");
      continue;
    }
    std::fill(mask.begin(), mask.end(), 0);
    for (const auto& [k, e] : edges) fillSlice(e, d[0], d[1], mask.data() + k * slice);
    Segment s;
    s.name = roi.name;
    s.number = static_cast<uint16_t>(std::clamp<Sint32>(number, 0, 65535));
    Sint32 rgb = 0;  // ROIDisplayColor is IS (an integer string): findAndGetUint16 would refuse it
    for (int c = 0; c < 3; ++c)
      if (rc->findAndGetSint32(DCM_ROIDisplayColor, rgb, c).good())
        s.rgb[c] = static_cast<uint8_t>(std::clamp<Sint32>(rgb, 0, 255));
    if (sg.findByNumber(s.number) >= 0) s.number = 0;
    CVX_TRY(sg.addSegment(s, mask.data()));
  }
  return sg;
}

}  // namespace

}  // namespace cvx::io

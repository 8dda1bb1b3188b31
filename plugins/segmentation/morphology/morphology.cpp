// SPDX-License-Identifier: MIT
// The morphology plugin: dilate, erode, open, close (a ball of radius_mm, hd::inBall: an ellipsoid
// in voxels on an anisotropic grid), hollow (the segment less its erosion: a shell radius_mm thick
// inside its surface, for a 3D print's walls), smooth (closed, then opened: small gaps and holes
// filled, then small spurs removed) or fill holes (background that cannot reach the volume's
// border through 6-connected background) of the active segment (manifest "input": "segment"). On
// the CPU, cvx::seg on the host's mask buffer, without a copy; on CUDA, cvx::cuda::seg (the same
// labels) for every operation.
#include <string>

#include <cvx/core/plugin/plugin.h>
#include <cvx/seg/plugin_support.h>
#include <cvx/seg/segment.h>
#if CVX_SEG_WITH_CUDA
#include <cvx/cuda/segment.h>
#endif

namespace {

namespace sp = cvx::seg::plugin;

// hollow's last step, on the host for both back ends: the mask less its erosion, 0/1.
cvx::Result<cvx::seg::VolumePtr> less(const cvx::Volume& mask, cvx::Result<cvx::seg::VolumePtr> eroded) {
  if (!eroded) return eroded;
  uint8_t* e = (*eroded)->as<uint8_t>();
  const uint8_t* m = mask.as<uint8_t>();
  for (int64_t i = 0, n = mask.voxelsPerPhase(); i < n; ++i) e[i] = m[i] != 0 && e[i] == 0;
  return eroded;
}

void morphology(cvx::plugin::SegmentRun& run) {
  const std::string op = sp::enumText(run, "operation");
  const double r = run.number("radius_mm");
  const auto mask = sp::borrowMask(run);
#if CVX_SEG_WITH_CUDA
  if (run.onCuda()) {
    return sp::writeLabels(run, *sp::onDevice(run, [&]() -> cvx::Result<cvx::seg::VolumePtr> {
      if (op == "dilate") return cvx::cuda::seg::dilate(*mask, r);
      if (op == "erode") return cvx::cuda::seg::erode(*mask, r);
      if (op == "open") return cvx::cuda::seg::open(*mask, r);
      if (op == "close") return cvx::cuda::seg::close(*mask, r);
      if (op == "fill_holes") return cvx::cuda::seg::fillHoles(*mask, 6);
      if (op == "hollow") return less(*mask, cvx::cuda::seg::erode(*mask, r));
      if (op == "smooth") {
        auto closed = cvx::cuda::seg::close(*mask, r);
        return closed ? cvx::cuda::seg::open(**closed, r) : closed;
      }
      return cvx::makeError("seg.bad_parameter", "unknown operation '" + op + "'");
    }));
  }
#endif
  const auto out = sp::bridged(run, [&](cvx::Progress* p) -> cvx::Result<cvx::seg::VolumePtr> {
    if (op == "dilate") return cvx::seg::dilate(*mask, r, p);
    if (op == "erode") return cvx::seg::erode(*mask, r, p);
    if (op == "open") return cvx::seg::open(*mask, r, p);
    if (op == "close") return cvx::seg::close(*mask, r, p);
    if (op == "fill_holes") return cvx::seg::fillHoles(*mask, 6, p);
    if (op == "hollow") return less(*mask, cvx::seg::erode(*mask, r, p));
    if (op == "smooth") {
      auto closed = cvx::seg::close(*mask, r, p);
      return closed ? cvx::seg::open(**closed, r, p) : closed;
    }
    return cvx::makeError("seg.bad_parameter", "unknown operation '" + op + "'");
  });
  sp::writeLabels(run, *out);
}

int segment(const CvxSegmentRequest* r) { return cvx::plugin::guardedSegment(r, morphology); }

const char* const kOperations[] = {"dilate", "erode", "open", "close", "fill_holes", "hollow", "smooth"};
const CvxParamSpec kParams[] = {
    {"operation", "Operation", CVX_PARAM_ENUM, 0, 0, 0, 0, "", kOperations, 7,
     "dilate, erode, open (erode then dilate), close (dilate then erode), fill_holes, hollow (a shell of the "
     "radius inside the surface), smooth (close then open)."},
    {"radius_mm", "Radius", CVX_PARAM_FLOAT, CVX_PARAM_HAS_MIN | CVX_PARAM_HAS_MAX, 2, 0, 100, "mm", nullptr,
     0, "Radius of the ball in mm (not used by fill_holes)."},
};

}  // namespace

CVX_SEG_PLUGIN("morphology", "Morphology", "1.0.0", kParams, segment)

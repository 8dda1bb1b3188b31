// SPDX-License-Identifier: MIT
// The plugins' shared support (cvx/seg/plugin_support.h).
#include <cvx/seg/plugin_support.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace cvx::seg::plugin {
namespace {

Geometry geometryOf(const CvxVolumeView& in) {
  Geometry g;
  g.spacingMm = {in.spacingMm[0], in.spacingMm[1], in.spacingMm[2]};
  const double* m = in.worldFromVoxel;  // row-major 3x4
  g.originMm = {m[3], m[7], m[11]};
  for (int c = 0; c < 3; ++c) {
    const double s = in.spacingMm[c] != 0.0 ? in.spacingMm[c] : 1.0;
    g.direction[c] = {m[c] / s, m[4 + c] / s, m[8 + c] / s};
  }
  g.sheared = std::abs(dot(g.direction[2], g.direction[0])) > 1e-6 ||
              std::abs(dot(g.direction[2], g.direction[1])) > 1e-6;
  return g;
}

PixelType pixelTypeOf(uint32_t t) {
  switch (t) {
    case CVX_PIXEL_UINT8:
      return PixelType::UInt8;
    case CVX_PIXEL_INT16:
      return PixelType::Int16;
    case CVX_PIXEL_UINT16:
      return PixelType::UInt16;
    case CVX_PIXEL_FLOAT32:
      return PixelType::Float32;
    default:
      throw Failure(CVX_STATUS_BAD_INPUT, "unsupported pixel type " + std::to_string(t));
  }
}

std::shared_ptr<const Volume> borrowOn(const SegmentRun& run, PixelType type, const void* data) {
  const CvxVolumeView& in = run.input();
  // const_cast: the borrowed Volume is handed out as const, and cvx::seg only reads its inputs.
  auto v = Volume::borrow(type, {in.dims[0], in.dims[1], in.dims[2], 1}, const_cast<void*>(data));
  if (!v.ok()) throw Failure(CVX_STATUS_BAD_INPUT, v.error().str());
  (*v)->geometry = geometryOf(in);
  return std::move(v).value();
}

}  // namespace

std::shared_ptr<const Volume> borrowInput(const SegmentRun& run) {
  return borrowOn(run, pixelTypeOf(run.input().pixelType), run.input().data);
}

std::shared_ptr<const Volume> borrowMask(const SegmentRun& run) {
  return borrowOn(run, PixelType::UInt8, run.mask());
}

std::pair<double, double> storedRange(const SegmentRun& run, double lower, double upper) {
  if (lower > upper) throw Failure(CVX_STATUS_BAD_PARAM, "lower is above upper");
  const double slope = run.input().valueSlope, intercept = run.input().valueIntercept;
  if (!(slope != 0.0) || !std::isfinite(slope) || !std::isfinite(intercept))
    throw Failure(CVX_STATUS_BAD_INPUT, "the series' rescale slope is 0 or not finite");
  double lo = (lower - intercept) / slope, hi = (upper - intercept) / slope;
  if (slope < 0) std::swap(lo, hi);
  return {lo, hi};
}

std::string enumText(const SegmentRun& run, const char* name) {
  const CvxParamValue& v = run.param(name);
  if (v.type != CVX_PARAM_ENUM || !v.text)
    throw Failure(CVX_STATUS_BAD_PARAM, std::string(name) + " is not an enum");
  return v.text;
}

int enumInt(const SegmentRun& run, const char* name) {
  const std::string t = enumText(run, name);
  char* end = nullptr;
  const long n = std::strtol(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0')
    throw Failure(CVX_STATUS_BAD_PARAM, std::string(name) + " '" + t + "' is not a number");
  return static_cast<int>(n);
}

void writeLabels(const SegmentRun& run, const Volume& labels) {
  const CvxVolumeView& in = run.input();
  const auto& d = labels.dims();
  if (labels.type() != PixelType::UInt8 || d[0] != in.dims[0] || d[1] != in.dims[1] || d[2] != in.dims[2])
    throw Failure(CVX_STATUS_FAILED, "the result is not a uint8 volume on the input's grid");
  std::memcpy(run.labels(), labels.data(), static_cast<size_t>(run.voxelCount()));
}

void fail(const Error& e) {
  const std::string& c = e.code;
  int status = CVX_STATUS_FAILED;
  if (c == "seg.cancelled")
    status = CVX_STATUS_CANCELLED;
  else if (c.size() >= 14 && c.compare(c.size() - 14, 14, ".out_of_memory") == 0)
    status = CVX_STATUS_OUT_OF_MEMORY;
  else if (c.rfind("cuda.", 0) == 0)  // no usable device, a CUDA error: the host goes to the CPU
    status = CVX_STATUS_DEVICE_FAULT;
  else if (c == "seg.bad_pixel_type" || c == "seg.bad_phase")
    status = CVX_STATUS_BAD_INPUT;
  else if (c.rfind("seg.", 0) == 0 && c.compare(4, 4, "bad_") == 0)  // seg.bad_*
    status = CVX_STATUS_BAD_PARAM;
  throw Failure(status, e.str());
}

}  // namespace cvx::seg::plugin

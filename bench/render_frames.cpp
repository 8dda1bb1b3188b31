// SPDX-License-Identifier: MIT
#include "render_frames.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

#include <cvx/render/raycast.h>

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Premultiplied float RGBA over black to 8-bit RGB.
std::vector<uint8_t> toRgb8(const std::vector<float>& rgba) {
  std::vector<uint8_t> out(rgba.size() / 4 * 3);
  for (size_t i = 0; i < rgba.size() / 4; ++i)
    for (int c = 0; c < 3; ++c)
      out[3 * i + size_t(c)] = uint8_t(std::clamp(rgba[4 * i + size_t(c)], 0.0f, 1.0f) * 255 + 0.5f);
  return out;
}

void writePpm(const std::string& path, const std::vector<uint8_t>& rgb, int w, int h) {
  if (rgb.size() != size_t(w) * h * 3) return;
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fprintf(f, "P6\n%d %d\n255\n", w, h);
    std::fwrite(rgb.data(), 1, rgb.size(), f);
    std::fclose(f);
  }
}

// The frames whose images are compared: the front view and a quarter turn.
std::vector<int> checkFrames(const RenderSetup& s) {
  return s.frames > 4 ? std::vector{0, s.frames / 4} : std::vector{0};
}

struct CvxRun {
  Timing t;
  std::vector<std::vector<float>> images;  // at checkFrames
  std::string error;
};

// after(i), when given, runs after frame i (-1: the untimed first), outside the timing.
CvxRun runCvx(const Volume& v, const VolumeLook& look, const RenderSetup& s, const hd::TransferFunction1D& tf,
              const hd::BrickMap* bricks, const std::function<void(int)>& after = {}) {
  CvxRun r;
  const size_t n = size_t(s.width) * s.height;
  std::vector<float> rgba(4 * n);
  const std::vector<int> checks = checkFrames(s);
  std::vector<double> secs;
  for (int i = -1; i < s.frames; ++i) {  // -1: the untimed first frame (frame 0 again)
    hd::RaycastParams p =
        raycastParams(v.geometry, v.dims(), orbitCamera(v, s, std::max(i, 0)), s.width, s.height);
    p.stepMm = float(look.sampleMm);
    p.shading = look.shading;
    p.mode = look.mip ? hd::RenderMode::Mip : hd::RenderMode::Composite;
    p.jitter = false;  // samples at segment midpoints: t0 + (k + 0.5) * step
    if (bricks) p.bricks = *bricks;
    const auto t0 = Clock::now();
    const Status st = render::raycastCpu(v, 0, p, tf, s.width, s.height, rgba.data());
    const double dt = since(t0);
    if (!st.ok()) return r.error = st.error().str(), r;
    if (i < 0)
      r.t.firstMs = dt * 1e3;
    else
      secs.push_back(dt);
    if (i >= 0 && std::find(checks.begin(), checks.end(), i) != checks.end()) r.images.push_back(rgba);
    if (after) after(i);
  }
  const double first = r.t.firstMs;
  r.t = timingOf(secs);
  r.t.firstMs = first;
  return r;
}

}  // namespace


Agreement compareRgb(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int floor) {
  Agreement r;
  double sum = 0;
  int64_t one = 0;
  for (size_t i = 0; i + 2 < a.size() && i + 2 < b.size(); i += 3) {
    const bool da = std::max({a[i], a[i + 1], a[i + 2]}) > floor,
               db = std::max({b[i], b[i + 1], b[i + 2]}) > floor;
    if (!da && !db) continue;
    ++r.drawn;
    if (da != db) ++one;
    for (int c = 0; c < 3; ++c) sum += std::abs(int(a[i + size_t(c)]) - int(b[i + size_t(c)]));
  }
  r.meanAbsRgb = r.drawn ? sum / double(3 * r.drawn) : NAN;
  r.oneOnly = r.drawn ? double(one) / double(r.drawn) : NAN;
  return r;
}

InputResult runInput(const std::string& name, const Volume& v, const VolumeLook& look, const RenderSetup& s,
                     bool withVtk) {
  InputResult r;
  // As the viewer builds it (view::VolumeRenderer): buildTransferTable's default node count.
  auto built = buildTransferTable(look.points, look.unitMm);
  if (!built.ok()) return r.error = built.error().str(), r;
  const TransferTable& table = *built;
  const hd::TransferFunction1D tf = table.view();

  std::fprintf(stderr, "bench_render: %s: CineVox plain\n", name.c_str());
  RenderSetup plainSetup = s;
  if (s.skipOnly) plainSetup.frames = -1;  // no frame, not even the untimed first
  CvxRun plain = runCvx(v, look, plainSetup, tf, nullptr);
  if (!plain.error.empty()) return r.error = plain.error, r;
  r.plain = plain.t;

  // The skipping frames and VTK's alternate, frame by frame, so that a change in the machine's
  // speed during the run (a shared machine's neighbours) weighs on both alike.
  std::unique_ptr<VtkVolume> vtk;
  if (withVtk) {
    vtk = std::make_unique<VtkVolume>(v, s.threads, look, s.width, s.height);
    if (!vtk->error().empty()) r.vtkError = vtk->error(), vtk.reset();
  } else {
    r.vtkError = "not run";
  }
  const std::vector<int> checks = checkFrames(s);
  std::vector<uint8_t> cvxAll, vtkAll;
  std::vector<double> vtkSecs;
  auto vtkFrame = [&](int i) {
    const double dt = vtk->render(orbitCamera(v, s, std::max(i, 0)));
    if (i < 0) {
      r.vtk.firstMs = dt * 1e3;
      return;
    }
    vtkSecs.push_back(dt);
    if (std::find(checks.begin(), checks.end(), i) == checks.end()) return;
    const std::vector<uint8_t> rgb = vtk->rgb();
    if (rgb.empty()) {
      r.vtkError = "no pixels read back";
      return;
    }
    vtkAll.insert(vtkAll.end(), rgb.begin(), rgb.end());
    if (!s.dump.empty())
      writePpm(s.dump + "/" + name + "_vtk_" + std::to_string(i) + ".ppm", rgb, s.width, s.height);
  };

  std::fprintf(stderr, "bench_render: %s: CineVox with skipping%s\n", name.c_str(),
               vtk ? ", and VTK alternating" : "");
  const auto t0 = Clock::now();
  const BrickRanges ranges = brickRanges(v, 0);
  const auto t1 = Clock::now();
  const std::vector<uint8_t> skipMap = brickSkipMap(ranges, table);
  const double setupMs = since(t0) * 1e3, mapMs = since(t1) * 1e3;
  r.brick = std::to_string(ranges.size.x) + "x" + std::to_string(ranges.size.y) + "x" + std::to_string(ranges.size.z);
  r.emptyBricks = skipMap.empty() ? 0
                                  : double(std::count_if(skipMap.begin(), skipMap.end(), [](uint8_t k) { return k > 0; })) /
                                        double(skipMap.size());
  const hd::BrickMap map = brickMapView(ranges, skipMap);
  const std::function<void(int)> after = vtk ? std::function<void(int)>(vtkFrame) : nullptr;
  CvxRun skip = runCvx(v, look, s, tf, &map, after);
  if (!skip.error.empty()) return r.error = skip.error, r;
  r.skip = skip.t;
  r.skip.setupMs = setupMs;
  r.skip.mapMs = mapMs;
  std::fprintf(stderr, "bench_render: %s: CineVox moving (half width and height)\n", name.c_str());
  RenderSetup half = s;
  half.width = std::max(1, s.width / 2);
  half.height = std::max(1, s.height / 2);
  if (s.skipOnly) half.frames = -1;
  CvxRun moving = runCvx(v, look, half, tf, &map);
  if (!moving.error.empty()) return r.error = moving.error, r;
  r.moving = moving.t;
  for (size_t k = 0; k < skip.images.size() && k < plain.images.size(); ++k)
    for (size_t i = 0; i < skip.images[k].size(); ++i)
      r.skipMaxDiff = std::max(r.skipMaxDiff, double(std::abs(skip.images[k][i] - plain.images[k][i])));

  for (size_t k = 0; k < plain.images.size(); ++k) {
    const std::vector<uint8_t> rgb = toRgb8(plain.images[k]);
    cvxAll.insert(cvxAll.end(), rgb.begin(), rgb.end());
    if (!s.dump.empty())
      writePpm(s.dump + "/" + name + "_cvx_" + std::to_string(checks[k]) + ".ppm", rgb, s.width, s.height);
  }
  if (!vtk) return r;
  const double first = r.vtk.firstMs;
  r.vtk = timingOf(vtkSecs);
  r.vtk.firstMs = first;
  r.vsVtk = compareRgb(cvxAll, vtkAll);
  return r;
}

}  // namespace cvx::bench

// SPDX-License-Identifier: MIT
#include "mpr_frames.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

#include <cvx/core/reslice.h>
#include <cvx/viewstate/render_view.h>
#include <cvx/viewstate/state.h>

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

MprFrame frameOf(const view::ViewerState& s, const Volume& v, int view, int width, int height) {
  const view::PixelFrame f = s.pixelFrame(view, width, height);
  const view::View& vw = s.view(view);
  const hd::ResliceParams p = resliceParams(v.geometry, WorldPlane{f.origin, f.du, f.dv}, vw.slabMm, vw.slabMode);
  MprFrame m{f.origin, f.du, f.dv, width, height, hd::slabCount(p), 0};
  if (m.slabSamples > 1) m.slabStepMm = slabStepMm(v.geometry, p);
  return m;
}

// Grey level of an RGBA pixel (R; both images are grey).
double grey(uint32_t rgba) { return double(rgba & 0xFF); }

void compare(const std::vector<float>& a, const std::vector<uint32_t>& aRgba, const std::vector<float>& b,
             const uint8_t* bRgba, CaseResult& r) {
  double sumHu = 0, sumRgb = 0;
  int64_t both = 0, one = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool ia = !std::isnan(a[i]), ib = !std::isnan(b[i]);
    if (ia && ib) {
      ++both;
      sumHu += std::abs(double(a[i]) - double(b[i]));
      sumRgb += std::abs(grey(aRgba[i]) - double(bRgba[4 * i]));
    } else if (ia || ib) {
      ++one;
    }
  }
  r.meanAbsHu = both ? sumHu / double(both) : NAN;
  r.meanAbsRgb = both ? sumRgb / double(both) : NAN;
  r.edgeFraction = both + one ? double(one) / double(both + one) : NAN;
}

}  // namespace

FrameStats frameStats(const std::vector<double>& s) {
  FrameStats f;
  if (s.empty()) return f;
  std::vector<double> v = s;
  std::sort(v.begin(), v.end());
  double total = 0;
  for (double x : v) total += x;
  f.medianMs = v[v.size() / 2] * 1e3;
  f.p95Ms = v[std::min(v.size() - 1, size_t(std::ceil(0.95 * double(v.size())) - 1))] * 1e3;
  f.fps = double(v.size()) / total;
  return f;
}

CaseResult runCase(const std::shared_ptr<const Volume>& v, const MprCase& c, int frames, int width, int height,
                   VtkMpr* vtk) {
  CaseResult r;
  view::ViewerState state;
  state.addLayer(v);
  if (c.oblique) {
    state.rotateCrosshair(0, 30 * std::numbers::pi / 180);
    state.rotateCrosshair(1, 20 * std::numbers::pi / 180);
  }
  if (c.slabMm > 0) state.setSlab(c.view, c.slabMm, view::SlabMode::Mip);
  const int warm = 3;
  state.scroll(c.view, -(frames + warm) / 2.0);
  view::ViewRenderer renderer;
  std::vector<MprFrame> seq;
  std::vector<double> cvxS, vtkS;
  for (int i = 0; i < frames + warm; ++i) {
    const auto t0 = Clock::now();
    if (i) state.scroll(c.view, 1);
    auto img = renderer.draw(state, c.view, width, height);
    const double s = since(t0);
    if (!img.ok()) {
      r.error = img.error().str();
      return r;
    }
    if (i >= warm) cvxS.push_back(s);
    seq.push_back(frameOf(state, *v, c.view, width, height));
  }
  r.slabSamples = seq.back().slabSamples;
  r.cvx = frameStats(cvxS);
  if (!vtk) return r;
  for (size_t i = 0; i < seq.size(); ++i) {
    const auto t0 = Clock::now();
    vtk->draw(seq[i]);
    const double s = since(t0);
    if (int(i) >= warm) vtkS.push_back(s);
  }
  r.vtk = frameStats(vtkS);
  // The check: the middle frame again, drawn by both.
  state.scroll(c.view, -(frames / 2.0));
  auto img = renderer.draw(state, c.view, width, height);
  if (!img.ok()) {
    r.error = img.error().str();
    return r;
  }
  const MprFrame mid = frameOf(state, *v, c.view, width, height);
  vtk->draw(mid);
  compare(renderer.values(0), (*img)->pixels, vtk->values(), vtk->rgba(), r);
  r.meanAbsHuOpt = r.meanAbsHu;
  vtk->setOptimization(false);
  vtk->draw(mid);
  compare(renderer.values(0), (*img)->pixels, vtk->values(), vtk->rgba(), r);
  vtk->setOptimization(true);
  return r;
}

}  // namespace cvx::bench

// SPDX-License-Identifier: MIT
#include "render_fused.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <cvx/core/bricks.h>
#include <cvx/core/raycast.h>
#include <cvx/io/dicom.h>
#include <cvx/render/raycast.h>
#include <cvx/viewstate/tf_edit.h>
#include <cvx/viewstate/tf_presets.h>

namespace cvx::bench {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Result<TransferTable> tableOf(const char* name, const Volume& v, view::TransferPreset& preset) {
  auto p = view::loadTransferPreset(name);
  if (!p) return p.error();
  auto resolved = view::editablePreset(*p, v);  // in v's units (the PET's Bq/ml)
  if (!resolved) return resolved.error();
  preset = *resolved;
  return buildTransferTable(resolved->points, resolved->unitDistanceMm);
}

}  // namespace

FusedResult runFused(const std::string& dataDir, const RenderSetup& s) {
  FusedResult r;
  auto ct = io::loadPath(dataDir + "/pet_ct/CT"), pt = io::loadPath(dataDir + "/pet_ct/PT");
  if (!ct || !pt) return r.error = (!ct ? ct.error() : pt.error()).str(), r;
  const Volume &v = **ct, &v2 = **pt;
  view::TransferPreset bonePreset, hotPreset;
  auto bone = tableOf("ct-bone", v, bonePreset);
  auto hot = tableOf("pet-hot-iron", v2, hotPreset);
  if (!bone || !hot) return r.error = (!bone ? bone.error() : hot.error()).str(), r;
  const hd::Fusion fusion = fusionParams(v.geometry, v2.geometry, v2.dims(), hot->view());
  const auto t0 = Clock::now();
  const BrickRanges ranges = brickRanges(v, 0);
  const std::vector<uint8_t> skip = brickSkipMap(ranges, *bone, fusedRanges(ranges, fusion, v2, 0), *hot);
  r.skip.setupMs = since(t0) * 1e3;
  hd::BrickMap map = brickMapView(ranges, skip);
  map.fused = true;
  const size_t n = skip.size() / hd::kSkipOctants;
  r.emptyBricks = n ? double(std::count_if(skip.begin(), skip.begin() + n, [](uint8_t k) { return k > 0; })) / n : 0;
  const Vec3 sp = v.geometry.spacingMm;
  std::vector<float> plain(4 * size_t(s.width) * s.height), skipped(plain.size());
  std::vector<double> secs[2];
  for (int i = -1; i < s.frames; ++i) {  // -1: the untimed first frame; plain and skipping alternate
    hd::RaycastParams p = raycastParams(v.geometry, v.dims(), orbitCamera(v, s, std::max(i, 0)), s.width, s.height);
    p.stepMm = static_cast<float>(0.5 * std::min({sp.x, sp.y, sp.z}));
    p.shading = {true, float(bonePreset.shading.ambient), float(bonePreset.shading.diffuse),
                 float(bonePreset.shading.specular), float(bonePreset.shading.power)};
    p.jitter = false;
    p.fusion = fusion;
    for (int k = 0; k < 2; ++k) {
      p.bricks = k ? map : hd::BrickMap{};
      std::vector<float>& out = k ? skipped : plain;
      const auto t = Clock::now();
      const Status st = render::raycastCpuFused(v, 0, v2, 0, p, bone->view(), s.width, s.height, out.data());
      if (!st.ok()) return r.error = st.error().str(), r;
      if (i < 0)
        (k ? r.skip : r.plain).firstMs = since(t) * 1e3;
      else
        secs[k].push_back(since(t));
    }
    for (size_t j = 0; j < plain.size(); ++j) r.maxDiff = std::max(r.maxDiff, double(std::abs(plain[j] - skipped[j])));
  }
  const double setup = r.skip.setupMs, first[2] = {r.plain.firstMs, r.skip.firstMs};
  r.plain = timingOf(secs[0]);
  r.skip = timingOf(secs[1]);
  r.skip.setupMs = setup;
  r.plain.firstMs = first[0];
  r.skip.firstMs = first[1];
  return r;
}

}  // namespace cvx::bench

// SPDX-License-Identifier: MIT
// bench_figures: the Segments dock's figures (the table's mL, the active segment's statistics and
// PET uptake) on a large PET/CT, as the UI thread pays for them after a brush stroke.
// Input (synthetic, written from formulas): a 500 x 500 x 200 int16 CT grid of 0.8 x 0.8 x 1.5 mm,
// a 200 x 200 x 150 float PET of 2 mm voxels on the same frame of reference, and a segmentation on
// the CT of a liver-sized ellipsoid (about 1.5 M voxels, the active segment) and 40 small organs
// (balls of 12 mm) in a second label layer, as a label map of many structures brings.
// Peer: the dock before (2026-12-06): on the UI thread, each row's Segmentation::volumeMl (a pass
// over the layer per segment), the layer's segmentStats and the active segment's petStats.
// Ours: the UI thread's share, view::SegmentFigures::update() (the labels copied), and, apart, the
// worker's time until collect().
// Usage: bench_figures [runs=5]. Last line: RESULT ui_ms=... sync_ui_ms=... ui_vs_sync=... worker_ms=...
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cvx/viewstate/pet_stats.h>
#include <cvx/viewstate/seg_figures.h>
#include <cvx/viewstate/seg_report.h>
#include <cvx/viewstate/seg_stats.h>

using Clock = std::chrono::steady_clock;
using namespace cvx;

namespace {

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::shared_ptr<Volume> volume(PixelType t, std::array<int64_t, 3> d, Vec3 spacing) {
  auto v = Volume::create(t, {d[0], d[1], d[2], 1});
  if (!v) {
    std::fprintf(stderr, "%s\n", v.error().str().c_str());
    std::exit(1);
  }
  (*v)->geometry.spacingMm = spacing;
  (*v)->info.frameOfReferenceUid = "1.2.826.0.1.3680043.10.7.1";
  return *v;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::array<int64_t, 3> d{500, 500, 200};
  auto ct = volume(PixelType::Int16, d, {0.8, 0.8, 1.5});
  ct->info.modality = "CT";
  ct->info.rescaleApplied = true;
  for (int64_t z = 0, i = 0; z < d[2]; ++z)
    for (int64_t y = 0; y < d[1]; ++y)
      for (int64_t x = 0; x < d[0]; ++x, ++i) ct->as<int16_t>()[i] = static_cast<int16_t>((x * 7 + y * 3 + z) % 400 - 100);
  // The PET's box spans the CT's (400 x 400 x 300 mm against 400 x 400 x 300).
  auto pet = volume(PixelType::Float32, {200, 200, 150}, {2.0, 2.0, 2.0});
  pet->info.modality = "PT";
  for (int64_t i = 0; i < pet->voxelCount(); ++i) pet->as<float>()[i] = 3000.0f + static_cast<float>(i % 977);

  view::ViewerState s;
  s.addLayer(ct);
  view::DisplayMapping m = view::initialMapping(*pet);
  m.units = "SUVbw";
  m.unitScale = 4e-4;
  s.addLayer(pet, m);
  auto seg = std::make_shared<Segmentation>(Segmentation::onGridOf(*ct));
  {
    std::vector<uint8_t> mask(static_cast<size_t>(seg->voxelsPerLayer()), 0);
    const double cx = 250, cy = 250, cz = 100, rx = 120, ry = 95, rz = 55;  // voxels: about 2.6 M x pi/6
    for (int64_t z = 0, i = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x, ++i) {
          const double a = (x - cx) / rx, b = (y - cy) / ry, c = (z - cz) / rz;
          mask[static_cast<size_t>(i)] = a * a + b * b + c * c <= 1.0;
        }
    Segment liver;
    liver.name = "Liver";
    (void)seg->addSegment(liver, mask.data());
    for (int k = 0; k < 40; ++k) {  // small organs, overlapping the liver's box: a second layer
      std::fill(mask.begin(), mask.end(), uint8_t{0});
      const int64_t ox = 40 + (k % 8) * 55, oy = 40 + (k / 8) * 90, oz = 100;
      for (int64_t z = oz - 8; z <= oz + 8; ++z)
        for (int64_t y = oy - 15; y <= oy + 15; ++y)
          for (int64_t x = ox - 15; x <= ox + 15; ++x) {
            const double a = (x - ox) * 0.8, b = (y - oy) * 0.8, c = (z - oz) * 1.5;
            if (a * a + b * b + c * c <= 144.0) mask[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
          }
      Segment organ;
      organ.name = "Organ " + std::to_string(k + 1);
      (void)seg->addSegment(organ, mask.data());
    }
  }
  (void)s.addSegmentation(seg, 0, "organs");
  s.setActiveSegment(0, 0);
  const int64_t liverVoxels = seg->voxelCount(0);

  // The peer: what the dock did on the UI thread when a stroke paused.
  std::vector<double> sync;
  double sink = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    for (size_t k = 0; k < seg->segments().size(); ++k) sink += seg->volumeMl(k);
    auto st = view::segmentStats(*seg, *ct, 0);
    auto up = view::petStats(*seg, 0, *pet, 0, m.unitScale);
    sync.push_back(msSince(t0));
    if (st.ok() && up.ok()) sink += (*st)[0].mean + up->suvPeak;
  }
  // Ours: update() on the UI thread, then the worker until collect().
  std::vector<double> ui, worker;
  for (int r = 0; r < runs; ++r) {
    s.segmentationEdited(0);  // a stroke: the revision moves on
    view::SegmentFigures f;
    const auto t0 = Clock::now();
    if (!f.update(s)) return 1;
    ui.push_back(msSince(t0));
    const auto t1 = Clock::now();
    while (!f.collect()) {
    }
    worker.push_back(msSince(t1));
    const auto* row = f.row(s, 0, 0);
    if (!row || !row->stats || row->stats->voxels != liverVoxels || !row->pet) {
      std::fprintf(stderr, "the figures do not count the liver\n");
      return 1;
    }
  }
  std::printf("liver %lld voxels (%.0f mL), %zu segments in %zu layers; checksum %.3f\n",
              static_cast<long long>(liverVoxels), seg->volumeMl(0), seg->segments().size(), seg->layers().size(), sink);
  std::printf("| the dock before (UI thread: mL per row, statistics, uptake) | %.1f ms |\n", median(sync));
  std::printf("| SegmentFigures::update (UI thread: the labels copied) | %.1f ms |\n", median(ui));
  std::printf("| the worker until collect (every segment's statistics, the active uptake) | %.1f ms |\n", median(worker));
  std::printf("RESULT ui_ms=%.1f sync_ui_ms=%.1f ui_vs_sync=%.1f worker_ms=%.1f\n", median(ui), median(sync),
              median(sync) / median(ui), median(worker));
  return 0;
}

// Planner specifications as tables: synthetic slice headers (no files) go through io::planSeries;
// every expected value (order, origin, spacing, shear, dims, phases, times, codes) is worked out
// by hand from the positions and attributes in the table.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <cvx/io/dicom.h>

namespace cvx {
namespace {

constexpr double kPi = 3.14159265358979323846;

// One slice of a table row: where it is and what time attributes it carries.
struct S {
  S(Vec3 p, int inst = 0, std::function<void(io::FrameHeader&)> a = {}) : pos(p), instance(inst), attrs(std::move(a)) {}
  Vec3 pos;
  int instance = 0;
  std::function<void(io::FrameHeader&)> attrs;  // time attributes
};

io::FileHeader header(const S& s, size_t i, std::array<double, 6> orient, const std::string& modality = "CT") {
  io::FileHeader h;
  h.path = "f" + std::to_string(i);
  h.sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
  h.sopInstanceUid = "1.2.3.4." + std::to_string(i + 1);
  h.info.studyInstanceUid = "1.2.3";
  h.info.seriesInstanceUid = "1.2.3.9";
  h.info.seriesNumber = 1;
  h.info.modality = modality;
  h.pixel.rows = 4, h.pixel.cols = 6;
  h.pixel.isSigned = true;
  h.hasPixelData = true;
  io::FrameHeader f;
  f.position = s.pos;
  f.orientation = orient;
  f.pixelSpacing = std::array<double, 2>{0.5, 0.5};
  f.sliceThickness = 1;
  f.instanceNumber = s.instance;
  if (s.attrs) s.attrs(f);
  h.frames = {f};
  return h;
}

constexpr std::array<double, 6> kAxial{1, 0, 0, 0, 1, 0};         // normal +z
constexpr std::array<double, 6> kAxialFlipped{1, 0, 0, 0, -1, 0};  // normal -z

io::GroupResult plan(const std::vector<S>& slices, std::array<double, 6> orient = kAxial,
                     const std::string& modality = "CT") {
  io::ScanResult scan;
  for (size_t i = 0; i < slices.size(); ++i) scan.files.push_back(header(slices[i], i, orient, modality));
  return io::planSeries(scan);
}

bool hasWarning(const io::SeriesPlan& p, const std::string& code) {
  for (const auto& w : p.warnings)
    if (w.code == code) return true;
  return false;
}

void expectNear(Vec3 a, Vec3 b, const std::string& what) {
  EXPECT_NEAR(a.x, b.x, 1e-9) << what;
  EXPECT_NEAR(a.y, b.y, 1e-9) << what;
  EXPECT_NEAR(a.z, b.z, 1e-9) << what;
}

// ---- 3D stacks -------------------------------------------------------------------------------

struct StackRow {
  const char* name;
  std::vector<S> slices;
  std::array<double, 6> orient;
  std::vector<uint32_t> fileOrder;  // file of slice z = 0, 1, ... (by hand, from the positions)
  Vec3 origin, stackDir;
  double spacingZ;
  bool sheared;
  const char* warning;  // expected geometry code, or nullptr for none of the geometry codes
};

std::vector<StackRow> stackRows() {
  const double t = 12.0 * kPi / 180.0;  // 12 degrees of gantry tilt
  const double s = 2.5;                 // distance between slice planes along z
  std::vector<StackRow> rows;
  rows.push_back({"ascending, files shuffled",
                  {{{0, 0, 5}}, {{0, 0, 0}}, {{0, 0, 7.5}}, {{0, 0, 2.5}}},
                  kAxial, {1, 3, 0, 2}, {0, 0, 0}, {0, 0, 1}, 2.5, false, nullptr});
  // Normal -z: the planner orders along the normal, so the highest z comes first.
  rows.push_back({"reversed: normal points down the table",
                  {{{0, 0, 0}}, {{0, 0, 2.5}}, {{0, 0, 5}}, {{0, 0, 7.5}}},
                  kAxialFlipped, {3, 2, 1, 0}, {0, 0, 7.5}, {0, 0, -1}, 2.5, false, nullptr});
  // Tilt: each plane moves by s*tan(t) along y; the stack runs along (0, sin t, cos t).
  rows.push_back({"gantry tilt +12 degrees",
                  {{{0, 0, 0}}, {{0, s * std::tan(t), s}}, {{0, 2 * s * std::tan(t), 2 * s}}},
                  kAxial, {0, 1, 2}, {0, 0, 0}, {0, std::sin(t), std::cos(t)}, s / std::cos(t), true,
                  "geometry.gantry_tilt"});
  rows.push_back({"gantry tilt -12 degrees",
                  {{{0, 0, 0}}, {{0, -s * std::tan(t), s}}, {{0, -2 * s * std::tan(t), 2 * s}}},
                  kAxial, {0, 1, 2}, {0, 0, 0}, {0, -std::sin(t), std::cos(t)}, s / std::cos(t), true,
                  "geometry.gantry_tilt"});
  return rows;
}

TEST(PlanTable, Stacks) {
  for (const StackRow& row : stackRows()) {
    SCOPED_TRACE(row.name);
    const io::GroupResult g = plan(row.slices, row.orient);
    ASSERT_EQ(g.series.size(), 1u);
    const io::SeriesPlan& p = g.series[0];
    EXPECT_EQ(p.dims[2], static_cast<int64_t>(row.slices.size()));
    EXPECT_EQ(p.dims[3], 1);
    ASSERT_EQ(p.slices.size(), row.fileOrder.size());
    for (size_t z = 0; z < row.fileOrder.size(); ++z) EXPECT_EQ(p.slices[z].file, row.fileOrder[z]) << "z " << z;
    expectNear(p.geometry.originMm, row.origin, "origin");
    expectNear(p.geometry.direction[2], row.stackDir, "stack direction");
    EXPECT_NEAR(p.geometry.spacingMm.z, row.spacingZ, 1e-9);
    EXPECT_EQ(p.geometry.sheared, row.sheared);
    EXPECT_FALSE(p.resampled);
    for (const char* code : {"geometry.gantry_tilt", "geometry.missing_slice", "geometry.uneven_spacing"})
      EXPECT_EQ(hasWarning(p, code), row.warning && std::string(row.warning) == code) << code;
    // Every slice of the plan lies where the geometry says: origin + z * spacing * direction.
    for (size_t z = 0; z < row.fileOrder.size(); ++z)
      expectNear(row.slices[row.fileOrder[z]].pos, p.geometry.originMm + row.stackDir * (row.spacingZ * double(z)),
                 "slice " + std::to_string(z));
  }
}

// ---- Gaps: whole missing steps vs uneven steps ----------------------------------------------

struct GapRow {
  const char* name;
  std::vector<double> z;        // slice positions along +z
  const char* code;             // expected warning
  int64_t dims;                 // output slices: extent / smallest step + 1
  double step;                  // extent / (dims - 1)
};

TEST(PlanTable, GapsAreResampledOntoTheSmallestStep) {
  const std::vector<GapRow> rows = {
      {"one missing slice", {0, 2, 4, 8, 10}, "geometry.missing_slice", 6, 2.0},
      {"two missing slices", {0, 3, 12, 15}, "geometry.missing_slice", 6, 3.0},
      {"uneven steps 2,2,3,3", {0, 2, 4, 7, 10}, "geometry.uneven_spacing", 6, 2.0},
  };
  for (const GapRow& row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<S> slices;
    for (double z : row.z) slices.push_back({{0, 0, z}});
    const io::GroupResult g = plan(slices);
    ASSERT_EQ(g.series.size(), 1u);
    const io::SeriesPlan& p = g.series[0];
    EXPECT_TRUE(p.resampled);
    EXPECT_TRUE(hasWarning(p, row.code));
    EXPECT_EQ(p.dims[2], row.dims);
    EXPECT_NEAR(p.geometry.spacingMm.z, row.step, 1e-9);
    EXPECT_EQ(p.sourcePositionsMm, row.z);  // distances from the first slice, here z itself
    EXPECT_EQ(p.slices.size(), row.z.size());  // the sources; the load resamples them
  }
}

// ---- Same position: duplicates, zero step ----------------------------------------------------

TEST(PlanTable, SlicesThatShareAPositionWithoutATimeAreSplitNotStacked) {
  // Duplicates: every position twice, equal InstanceNumbers, no time: two volumes of 3.
  {
    std::vector<S> slices;
    for (int k = 0; k < 3; ++k)
      for (int copy = 0; copy < 2; ++copy) slices.push_back({{0, 0, 2.0 * k}, 5});
    const io::GroupResult g = plan(slices);
    ASSERT_EQ(g.series.size(), 2u);
    for (const auto& p : g.series) {
      EXPECT_EQ(p.splitReason, "split.same_position");
      EXPECT_EQ(p.dims[2], 3);
      EXPECT_EQ(p.dims[3], 1);
      EXPECT_NEAR(p.geometry.spacingMm.z, 2.0, 1e-9);
    }
    EXPECT_EQ(g.series[0].id, "1.2.3.9.1");
    EXPECT_EQ(g.series[1].id, "1.2.3.9.2");
  }
  // A zero step inside a stack: positions 0, 2, 2, 4 hold 1, 2, 1 slices: uneven, so split; the
  // first volume takes one slice per position (3), the second the extra one.
  {
    const io::GroupResult g = plan({{{0, 0, 0}, 1}, {{0, 0, 2}, 2}, {{0, 0, 2}, 3}, {{0, 0, 4}, 4}});
    ASSERT_EQ(g.series.size(), 2u);
    EXPECT_EQ(g.series[0].splitReason, "split.inconsistent_phases");
    EXPECT_EQ(g.series[0].dims[2], 3);
    EXPECT_EQ(g.series[1].dims[2], 1);
    EXPECT_EQ(g.series[1].slices[0].file, 2u);  // InstanceNumber 3: the second at z = 2
  }
  // Every slice at one position: no stack, and InstanceNumber is no time rule for a single
  // position (veto): three one-slice volumes.
  {
    const io::GroupResult g = plan({{{0, 0, 1}, 1}, {{0, 0, 1}, 2}, {{0, 0, 1}, 3}});
    ASSERT_EQ(g.series.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(g.series[k].splitReason, "split.same_position");
      EXPECT_EQ(g.series[k].dims[2], 1);
      EXPECT_EQ(g.series[k].slices[0].file, k);  // by InstanceNumber
    }
  }
}

// ---- 4D: each time rule, its order, its times, and the vetoes --------------------------------

struct PhaseRow {
  const char* name;
  std::string modality;
  int phases;
  // Attributes of the slice at position z, phase k (k is the true time order).
  std::function<void(io::FrameHeader&, int z, int k)> attrs;
  std::function<int(int z, int k)> instance;  // InstanceNumber
  const char* rule;                           // expected "phases ordered by <rule>"
  const char* timesFrom;                      // expected "times from <source>" prefix
  std::vector<double> times;                  // expected ms, by hand
};

std::vector<PhaseRow> phaseRows() {
  auto none = [](int, int) { return 0; };
  std::vector<PhaseRow> r;
  r.push_back({"TemporalPositionIdentifier, no time at all", "CT", 2,
               [](io::FrameHeader& f, int, int k) { f.temporalPositionId = k + 1; }, none,
               "TemporalPositionIdentifier", "phase index", {0, 1}});
  r.push_back({"TriggerTime (cardiac)", "MR", 3,
               [](io::FrameHeader& f, int, int k) { f.triggerTimeMs = 400.0 * k; }, none, "TriggerTime",
               "TriggerTime", {0, 400, 800}});
  r.push_back({"TemporalPositionIdentifier wins over TriggerTime", "MR", 2,
               [](io::FrameHeader& f, int, int k) {
                 f.temporalPositionId = k + 1;
                 f.triggerTimeMs = 300.0 + 250.0 * k;
               },
               none, "TemporalPositionIdentifier", "TriggerTime", {300, 550}});
  r.push_back({"AcquisitionNumber, no acquisition time", "CT", 2,
               [](io::FrameHeader& f, int, int k) { f.acquisitionNumber = 7 + k; }, none, "AcquisitionNumber",
               "phase index", {0, 1}});
  // Veto: AcquisitionNumber differs but each position was acquired at one time (sequential CT
  // numbers per rotation); ContentTime then orders, 5 s apart.
  r.push_back({"AcquisitionNumber vetoed by one acquisition time per position", "CT", 2,
               [](io::FrameHeader& f, int z, int k) {
                 f.acquisitionNumber = 1 + k;
                 f.acquisitionTimeS = 100.0 + z;
                 f.contentTimeS = 200.0 + 5.0 * k;
               },
               none, "ContentTime", "ContentTime", {0, 5000}});
  // Mean over positions of 3600 + 2k + 0.1z, relative to phase 0: 2 s per phase.
  r.push_back({"AcquisitionTime", "CT", 3,
               [](io::FrameHeader& f, int z, int k) { f.acquisitionTimeS = 3600.0 + 2.0 * k + 0.1 * z; }, none,
               "AcquisitionTime", "AcquisitionTime", {0, 2000, 4000}});
  r.push_back({"ContentTime", "CT", 2, [](io::FrameHeader& f, int, int k) { f.contentTimeS = 50.0 + 1.5 * k; },
               none, "ContentTime", "ContentTime", {0, 1500}});
  // Last resort on a real stack: InstanceNumber; an MR with TR gets one TR per phase.
  r.push_back({"InstanceNumber, MR with RepetitionTime", "MR", 2,
               [](io::FrameHeader& f, int, int) { f.repetitionTimeMs = 3000; },
               [](int z, int k) { return 1 + z + 10 * k; }, "InstanceNumber", "RepetitionTime x phase", {0, 3000}});
  return r;
}

TEST(PlanTable, PhasesFollowTheirRule) {
  const int nz = 3;
  for (const PhaseRow& row : phaseRows()) {
    SCOPED_TRACE(row.name);
    // Files in reverse time order, so that a rule that does not sort would show.
    std::vector<S> slices;
    std::vector<std::pair<int, int>> zk;  // (z, k) of each file
    for (int k = row.phases - 1; k >= 0; --k)
      for (int z = 0; z < nz; ++z) {
        auto attrs = [&row, z, k](io::FrameHeader& f) { row.attrs(f, z, k); };
        slices.push_back({{0, 0, 3.0 * z}, row.instance(z, k), attrs});
        zk.emplace_back(z, k);
      }
    const io::GroupResult g = plan(slices, kAxial, row.modality);
    ASSERT_EQ(g.series.size(), 1u);
    const io::SeriesPlan& p = g.series[0];
    EXPECT_EQ(p.dims[2], nz);
    EXPECT_EQ(p.dims[3], row.phases);
    EXPECT_EQ(p.timeRule.rfind(std::string("phases ordered by ") + row.rule + " (", 0), 0u) << p.timeRule;
    EXPECT_NE(p.timeRule.find(std::string("times from ") + row.timesFrom), std::string::npos) << p.timeRule;
    ASSERT_EQ(p.timesMs.size(), row.times.size());
    for (size_t k = 0; k < row.times.size(); ++k) EXPECT_NEAR(p.timesMs[k], row.times[k], 1e-6) << "phase " << k;
    ASSERT_EQ(p.slices.size(), size_t(nz * row.phases));
    for (int k = 0; k < row.phases; ++k)
      for (int z = 0; z < nz; ++z) {
        const auto [fz, fk] = zk[p.slices[size_t(z + k * nz)].file];
        EXPECT_EQ(fz, z) << "slice z " << z << " phase " << k;
        EXPECT_EQ(fk, k) << "slice z " << z << " phase " << k;
      }
  }
}

// Enhanced objects: the DimensionIndexValues entry that is not InStackPositionNumber and differs
// among the frames at one position is the time; one file, frames in z-major order.
TEST(PlanTable, EnhancedDimensionIndexOrdersPhases) {
  io::ScanResult scan;
  io::FileHeader h = header({{0, 0, 0}}, 0, kAxial, "MR");
  h.enhanced = true;
  h.dimensionIndexPointers = {0x00209057u, 0x00209128u};  // InStackPositionNumber, TemporalPositionIndex
  const int nz = 3, nt = 2;
  h.numberOfFrames = nz * nt;
  h.frames.clear();
  for (int z = 0; z < nz; ++z)
    for (int k = nt - 1; k >= 0; --k) {  // time reversed within each position
      io::FrameHeader f;
      f.frame = static_cast<uint32_t>(h.frames.size());
      f.position = Vec3{0, 0, 4.0 * z};
      f.orientation = kAxial;
      f.pixelSpacing = std::array<double, 2>{0.5, 0.5};
      f.sliceThickness = 1;
      f.dimensionIndex = {uint32_t(z + 1), uint32_t(k + 1)};
      h.frames.push_back(f);
    }
  scan.files.push_back(h);
  const io::GroupResult g = io::planSeries(scan);
  ASSERT_EQ(g.series.size(), 1u);
  const io::SeriesPlan& p = g.series[0];
  EXPECT_EQ(p.dims[2], nz);
  EXPECT_EQ(p.dims[3], nt);
  EXPECT_EQ(p.timeRule.rfind("phases ordered by DimensionIndexValues (", 0), 0u) << p.timeRule;
  // Frame of (z, k) is z * nt + (nt - 1 - k).
  for (int k = 0; k < nt; ++k)
    for (int z = 0; z < nz; ++z) EXPECT_EQ(p.slices[size_t(z + k * nz)].frame, uint32_t(z * nt + (nt - 1 - k)));
}

// One multi-frame file without any time attribute: frame order is time order (the last rule).
TEST(PlanTable, OneMultiFrameFileWithoutTimeUsesFrameOrder) {
  io::ScanResult scan;
  io::FileHeader h = header({{0, 0, 0}}, 0, kAxial, "CT");
  const int nz = 2, nt = 3;
  h.numberOfFrames = nz * nt;
  h.frames.clear();
  for (int k = 0; k < nt; ++k)
    for (int z = nz - 1; z >= 0; --z) {  // each phase written top-down
      io::FrameHeader f;
      f.frame = static_cast<uint32_t>(h.frames.size());
      f.position = Vec3{0, 0, 5.0 * z};
      f.orientation = kAxial;
      f.pixelSpacing = std::array<double, 2>{0.5, 0.5};
      f.sliceThickness = 1;
      h.frames.push_back(f);
    }
  scan.files.push_back(h);
  const io::GroupResult g = io::planSeries(scan);
  ASSERT_EQ(g.series.size(), 1u);
  const io::SeriesPlan& p = g.series[0];
  EXPECT_EQ(p.dims[3], nt);
  EXPECT_EQ(p.timeRule.rfind("phases ordered by frame number within one multi-frame file", 0), 0u) << p.timeRule;
  EXPECT_EQ(p.timesMs, (std::vector<double>{0, 1, 2}));  // phase index: no time attribute
  // Frame of (z, k) is k * nz + (nz - 1 - z).
  for (int k = 0; k < nt; ++k)
    for (int z = 0; z < nz; ++z) EXPECT_EQ(p.slices[size_t(z + k * nz)].frame, uint32_t(k * nz + (nz - 1 - z)));
}

// Vetoes: a time rule whose values repeat at one position does not apply; without any other rule
// the slices are split, not stacked as phases.
TEST(PlanTable, RepeatedTimeValuesAreNoPhases) {
  std::vector<S> slices;
  for (int z = 0; z < 2; ++z)
    for (int k = 0; k < 2; ++k)
      slices.push_back({{0, 0, 2.0 * z}, 4, [](io::FrameHeader& f) { f.triggerTimeMs = 100; }});
  const io::GroupResult g = plan(slices);
  ASSERT_EQ(g.series.size(), 2u);
  for (const auto& p : g.series) {
    EXPECT_EQ(p.splitReason, "split.same_position");
    EXPECT_EQ(p.dims[3], 1);
    EXPECT_TRUE(p.timeRule.empty());
  }
}

}  // namespace
}  // namespace cvx

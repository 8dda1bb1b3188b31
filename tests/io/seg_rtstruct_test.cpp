// RTSTRUCT import against plastimatch (Debian plastimatch 1.9.4): dicompyler's rtss.dcm is
// rasterised by `plastimatch convert --xor-contours` (the even-odd rule: without it plastimatch
// ORs nested contours, and the holes of Lt Lung and BODY fill) into one NRRD per structure; CineVox
// rasterises the same file onto the grid of those NRRDs. Every voxel where the two differ must lie within one
// voxel of an edge of one mask or the other (in-plane 3x3 neighbourhood holds both values); the Dice of each
// structure is printed.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include <cvx/io/dicom.h>
#include <cvx/io/formats.h>
#include <cvx/io/seg.h>

#include "seg_test_util.h"
#include "temp_dir.h"
#include "test_data.h"

namespace cvx::io {
namespace {

namespace fs = std::filesystem;

bool nearEdge(const std::vector<uint8_t>& m, const std::array<int64_t, 4>& d, int64_t x, int64_t y, int64_t z,
              bool (*in)(const std::vector<uint8_t>&, size_t)) {
  bool on = false, off = false;
  for (int64_t dy = -1; dy <= 1; ++dy)
    for (int64_t dx = -1; dx <= 1; ++dx) {
      const int64_t xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= d[0] || yy >= d[1]) continue;
      (in(m, static_cast<size_t>((z * d[1] + yy) * d[0] + xx)) ? on : off) = true;
    }
  return on && off;
}

std::map<std::string, std::shared_ptr<Volume>> readFolder(const std::string& dir) {
  std::map<std::string, std::shared_ptr<Volume>> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto v = readImage(e.path().string());
    EXPECT_TRUE(v.ok()) << v.error().str();
    if (v.ok()) out[e.path().stem().string()] = *v;
  }
  return out;
}

// Rasterises rtss onto grid and compares every structure plastimatch wrote (truth, by name).
void compareWithPlastimatch(const std::string& rtss, const Volume& grid,
                            const std::map<std::string, std::shared_ptr<Volume>>& truth) {
  std::vector<Diagnostic> warnings;
  auto sg = readRtStruct(rtss, grid, &warnings);
  ASSERT_TRUE(sg.ok()) << sg.error().str();
  const auto& d = grid.dims();
  size_t compared = 0;
  for (const auto& [name, t] : truth) {
    ASSERT_EQ(t->dims(), d) << name;
    int64_t idx = -1;
    for (size_t i = 0; i < sg->segments().size(); ++i)
      if (sg->segments()[i].name == name) idx = static_cast<int64_t>(i);
    ASSERT_GE(idx, 0) << "no segment for " << name;
    const std::vector<uint8_t> ours = sg->mask(static_cast<size_t>(idx));
    std::vector<uint8_t> theirs(ours.size());
    for (size_t i = 0; i < theirs.size(); ++i) theirs[i] = t->as<uint8_t>()[i] != 0;
    int64_t a = 0, b = 0, both = 0, bad = 0, diff = 0;
    auto in = [](const std::vector<uint8_t>& m, size_t i) { return m[i] != 0; };
    for (int64_t z = 0; z < d[2]; ++z)
      for (int64_t y = 0; y < d[1]; ++y)
        for (int64_t x = 0; x < d[0]; ++x) {
          const size_t i = static_cast<size_t>((z * d[1] + y) * d[0] + x);
          a += ours[i];
          b += theirs[i];
          both += ours[i] && theirs[i];
          if (ours[i] == theirs[i]) continue;
          ++diff;
          if (!nearEdge(ours, d, x, y, z, in) && !nearEdge(theirs, d, x, y, z, in)) ++bad;
        }
    const double dice = a + b ? 2.0 * both / static_cast<double>(a + b) : 1.0;
    std::printf("rtstruct %-16s ours %9lld plastimatch %9lld differ %7lld Dice %.5f\n", name.c_str(),
                static_cast<long long>(a), static_cast<long long>(b), static_cast<long long>(diff), dice);
    EXPECT_EQ(bad, 0) << name << ": voxels that differ away from every edge";
    EXPECT_GT(b, 0) << name;
    if (b > 1000) {
      EXPECT_GT(dice, 0.99) << name;
    }
    ++compared;
  }
  EXPECT_EQ(compared, truth.size());
}

TEST(SegRtStruct, DicompylerContoursMatchPlastimatchWithinOneVoxel) {
  CVX_REQUIRE_FOLDER("rtstruct_dicompyler");
  test::TempDir tmp("cvx_rt");
  ASSERT_TRUE(tmp.ok());
  const std::string rtss = test::dataPath("rtstruct_dicompyler/rtss.dcm");
  std::string log;
  const int rc = test::runCommand("plastimatch convert --input '" + rtss + "' --output-prefix '" +
                                      tmp.file("pl") + "' --prefix-format nrrd --xor-contours",
                                  log);
  ASSERT_NE(rc, 127) << "plastimatch not installed";
  ASSERT_EQ(rc, 0) << log;
  const auto truth = readFolder(tmp.file("pl"));
  ASSERT_GE(truth.size(), 5u);
  const Volume& grid = *truth.begin()->second;  // plastimatch uses one grid for all structures
  compareWithPlastimatch(rtss, grid, truth);
}

// The complete pair: ct_rtstruct onto the real CT's grid (loaded by io). plastimatch cannot read
// the JPEG-lossless CT, so it gets the CT's grid as a NRRD (--fixed) written by io.
TEST(SegRtStruct, LungRtStructOnTheRealCtMatchesPlastimatchWithinOneVoxel) {
  CVX_REQUIRE_FOLDER("ct_rtstruct");
  CVX_REQUIRE_FOLDER("ct");
  test::TempDir tmp("cvx_rt2");
  auto ct = loadPath(test::dataPath("ct"));
  ASSERT_TRUE(ct.ok()) << ct.error().str();
  auto grid = Volume::create(PixelType::UInt8, (*ct)->dims());
  ASSERT_TRUE(grid.ok());
  (*grid)->geometry = (*ct)->geometry;
  ASSERT_TRUE(writeImage(**grid, tmp.file("grid.nrrd")).ok());
  const std::string rtss = test::dataPath("ct_rtstruct/rtstruct.dcm");
  std::string log;
  const int rc =
      test::runCommand("plastimatch convert --input '" + rtss + "' --fixed '" + tmp.file("grid.nrrd") +
                           "' --output-prefix '" + tmp.file("pl") + "' --prefix-format nrrd --xor-contours",
                       log);
  ASSERT_NE(rc, 127) << "plastimatch not installed";
  ASSERT_EQ(rc, 0) << log;
  const auto truth = readFolder(tmp.file("pl"));
  ASSERT_GE(truth.size(), 3u);
  for (const auto& [name, t] : truth) {
    ASSERT_EQ(t->dims(), (*ct)->dims()) << name;
    ASSERT_LT(norm(t->geometry.originMm - (*ct)->geometry.originMm), 1e-3) << name;
  }
  compareWithPlastimatch(rtss, **ct, truth);
}

// Each ROI's colour is its ROIDisplayColor (an IS triplet), as pydicom reads it.
TEST(SegRtStruct, SegmentsTakeTheirRoiDisplayColour) {
  CVX_REQUIRE_FOLDER("ct_rtstruct");
  CVX_REQUIRE_FOLDER("ct");
  auto ct = loadPath(test::dataPath("ct"));
  ASSERT_TRUE(ct.ok()) << ct.error().str();
  const std::string rtss = test::dataPath("ct_rtstruct/rtstruct.dcm");
  std::string out;
  const int rc = test::runCommand(
      "/usr/bin/python3 -c \"import pydicom,sys; d=pydicom.dcmread(sys.argv[1]); "
      "n={r.ROINumber: r.ROIName for r in d.StructureSetROISequence}; "
      "[print(n[c.ReferencedROINumber], *[int(x) for x in c.ROIDisplayColor]) for c in d.ROIContourSequence]\" '" +
          rtss + "'",
      out);
  ASSERT_EQ(rc, 0) << out;
  auto sg = readRtStruct(rtss, **ct);
  ASSERT_TRUE(sg.ok()) << sg.error().str();
  std::istringstream lines(out);
  std::string name;
  int r = 0, g = 0, b = 0, checked = 0;
  while (lines >> name >> r >> g >> b) {
    for (const Segment& s : sg->segments())
      if (s.name == name) {
        EXPECT_EQ(s.rgb, (std::array<uint8_t, 3>{uint8_t(r), uint8_t(g), uint8_t(b)})) << name;
        ++checked;
      }
  }
  EXPECT_GE(checked, 3);
}

TEST(SegRtStruct, NotAnRtStructAndAnotherFrameOfReferenceAreRefused) {
  CVX_REQUIRE_FOLDER("rtstruct_dicompyler");
  auto ct = readImage(test::dataPath("seg/liver_seg.nrrd"));
  ASSERT_TRUE(ct.ok());
  auto a = readRtStruct(test::dataPath("rtstruct_dicompyler/ct.0.dcm"), **ct);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "rtstruct.not_rtstruct");
  (*ct)->info.frameOfReferenceUid = "1.2.3";
  auto b = readRtStruct(test::dataPath("rtstruct_dicompyler/rtss.dcm"), **ct);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "rtstruct.no_reference");
}

}  // namespace
}  // namespace cvx::io

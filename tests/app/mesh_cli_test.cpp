// SPDX-License-Identifier: MIT
// `cinevox segment --out FILE.stl|.obj` through the real executable: the threshold plugin's bone on
// the real CT becomes a binary STL, parsed here byte by byte: a CineVox header that states LPS mm,
// triangles > 0 and a file size that matches their count, every corner inside the CT's patient-space
// box (the grid's corners placed by the CT's DICOM geometry as io loads it), and an enclosed volume
// (divergence theorem, computed here) of 0.8 to 1.02 times the bone voxels' volume counted from the CT.
// `cinevox export-mesh` of the SEG that `segment` wrote: onto the CT, the same STL byte for byte;
// without the series, an OBJ with one object named after the segment; refusals with their codes.
// Neither writes a mesh into the series' own folder (a copy of tilt/: writable): io.into_source.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>

#include <cvx/io/dicom.h>

#include "../data/data_util.h"
#include "run_command.h"
#include "temp_dir.h"

using cvx::test::run;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
float f32At(const std::string& b, size_t off) {
  const auto* u = reinterpret_cast<const unsigned char*>(b.data() + off);
  const uint32_t v = u[0] | (u[1] << 8) | (u[2] << 16) | (uint32_t(u[3]) << 24);
  float f;
  std::memcpy(&f, &v, 4);
  return f;
}

}  // namespace

TEST(CliSegmentMesh, BoneOfTheCtAsABinaryStlInLpsMm) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_mesh");
  const std::string ct = cvx::test::dataPath("ct");
  auto volume = cvx::io::loadPath(ct);
  ASSERT_TRUE(volume.ok()) << volume.error().str();
  const cvx::Volume& v = **volume;
  const cvx::Geometry& g = v.geometry;
  const auto& d = v.dims();

  const std::string stl = tmp.file("bone.stl");
  auto [out, rc] =
      run(std::string(CVX_CINEVOX) + " segment " + ct +
          " --plugin threshold --param lower=300 --param upper=3071 --name Bone --out " + stl + " 2>&1");
  ASSERT_EQ(rc, 0) << out;
  const std::string b = slurp(stl);
  ASSERT_GE(b.size(), 84u);
  EXPECT_EQ(b.rfind("CineVox segment Bone, LPS mm", 0), 0u) << b.substr(0, 80);
  uint32_t n = 0;
  std::memcpy(&n, b.data() + 80, 4);
  ASSERT_GT(n, 1000u);
  ASSERT_EQ(b.size(), 84u + 50u * n);

  // The CT's box in patient space: the grid's outer corners (voxel faces at -0.5 and dims - 0.5).
  std::array<double, 3> lo{1e30, 1e30, 1e30}, hi{-1e30, -1e30, -1e30};
  for (int c = 0; c < 8; ++c) {
    const cvx::Vec3 p =
        g.worldAt((c & 1) ? d[0] - 0.5 : -0.5, (c & 2) ? d[1] - 0.5 : -0.5, (c & 4) ? d[2] - 0.5 : -0.5);
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], p[a]), hi[a] = std::max(hi[a], p[a]);
  }
  double volume6 = 0;
  for (uint32_t t = 0; t < n; ++t) {
    std::array<cvx::Vec3, 3> q;
    for (int c = 0; c < 3; ++c) {
      for (int a = 0; a < 3; ++a) {
        const double x = f32At(b, 84 + 50 * size_t(t) + 12 + 12 * c + 4 * a);
        ASSERT_GE(x, lo[a] - 1e-3) << "triangle " << t;
        ASSERT_LE(x, hi[a] + 1e-3) << "triangle " << t;
        q[c][a] = x;
      }
    }
    volume6 += dot(q[0], cross(q[1], q[2]));
  }
  // Bone voxels counted from the CT (HU = stored * slope + intercept in [300, 3071]).
  const double slope = v.info.rescaleApplied ? 1.0 : v.info.rescaleSlope;
  const double intercept = v.info.rescaleApplied ? 0.0 : v.info.rescaleIntercept;
  int64_t count = 0;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j)
      for (int64_t i = 0; i < d[0]; ++i) {
        const double hu = v.valueAt(i, j, k) * slope + intercept;
        count += hu >= 300 && hu <= 3071;
      }
  const double voxelMm3 = std::abs(dot(
      g.direction[0] * g.spacingMm.x, cross(g.direction[1] * g.spacingMm.y, g.direction[2] * g.spacingMm.z)));
  const double boneMm3 = double(count) * voxelMm3;
  // Smoothing shrinks thin bone and single-voxel islands (0.88 of the voxels' volume at the
  // defaults when this was written): the surface encloses somewhat less than the voxels, never more.
  const double ratio = volume6 / 6 / boneMm3;
  EXPECT_GT(ratio, 0.8) << volume6 / 6 << " mm^3 vs " << boneMm3;
  EXPECT_LT(ratio, 1.02) << volume6 / 6 << " mm^3 vs " << boneMm3;
}

TEST(CliSegmentMesh, ExportMeshOfASegIsTheSameSurfaceAndAnObj) {
  CVX_REQUIRE_FOLDER("ct");
  const cvx::test::TempDir tmp("cvx_cli_export_mesh");
  const std::string ct = cvx::test::dataPath("ct");
  const std::string cinevox = CVX_CINEVOX;
  const std::string seg = tmp.file("bone.dcm"), direct = tmp.file("direct.stl"), viaSeg = tmp.file("via_seg.stl");
  const std::string segment = cinevox + " segment " + ct + " --plugin threshold --param lower=300 --param upper=3071 --name Bone";
  auto [o1, rc1] = run(segment + " --out " + seg + " 2>&1");
  ASSERT_EQ(rc1, 0) << o1;
  auto [o2, rc2] = run(segment + " --out " + direct + " 2>&1");
  ASSERT_EQ(rc2, 0) << o2;
  // The SEG read back onto the CT's grid gives the very mask, hence the very surface, byte for byte.
  auto [o3, rc3] = run(cinevox + " export-mesh " + seg + " --series " + ct + " --segment 1 --out " + viaSeg + " 2>&1");
  ASSERT_EQ(rc3, 0) << o3;
  const std::string a = slurp(direct), b = slurp(viaSeg);
  ASSERT_GT(a.size(), 84u);
  EXPECT_TRUE(a == b) << a.size() << " vs " << b.size() << " bytes";
  // Without the series (the SEG's own grid), as an OBJ: one object named after the segment.
  const std::string obj = tmp.file("bone.obj");
  auto [o4, rc4] = run(cinevox + " export-mesh " + seg + " --out " + obj + " 2>&1");
  ASSERT_EQ(rc4, 0) << o4;
  const std::string text = slurp(obj);
  EXPECT_NE(text.find("coordinates: LPS, millimetres"), std::string::npos);
  EXPECT_NE(text.find("\no Bone\n"), std::string::npos);
  EXPECT_NE(text.find("\nf "), std::string::npos);
  auto [o5, rc5] = run(cinevox + " export-mesh " + seg + " --segment 7 --out " + tmp.file("x.stl") + " 2>&1");
  EXPECT_EQ(rc5, 1) << o5;
  EXPECT_NE(o5.find("app.no_segment"), std::string::npos) << o5;
  auto [o6, rc6] = run(cinevox + " export-mesh " + seg + " --out " + tmp.file("x.ply") + " 2>&1");
  EXPECT_EQ(rc6, 2) << o6;
}

TEST(CliSegmentMesh, NoMeshIsWrittenIntoTheSeriesFolder) {
  CVX_REQUIRE_FOLDER("tilt");
  namespace fs = std::filesystem;
  const cvx::test::TempDir tmp("cvx_cli_mesh_source");
  const std::string series = tmp.file("tilt"), seg = tmp.file("body.dcm"), cinevox = CVX_CINEVOX;
  fs::copy(cvx::test::dataPath("tilt"), series);
  auto filesIn = [&] {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(series)) names.insert(e.path().filename().string());
    return names;
  };
  const std::set<std::string> before = filesIn();
  // tilt/ holds little above -800 HU: a small SEG (its refused meshes are never made).
  const std::string segment =
      cinevox + " segment " + series + " --plugin threshold --param lower=-800 --param upper=3071 --name Body";
  auto [o1, rc1] = run(segment + " --out " + seg + " 2>&1");
  ASSERT_EQ(rc1, 0) << o1;
  for (const char* name : {"/body.stl", "/body.obj"}) {
    auto [out, rc] = run(segment + " --out " + series + name + " 2>&1");
    EXPECT_EQ(rc, 1) << name << ": " << out;
    EXPECT_NE(out.find("error io.into_source"), std::string::npos) << name << ": " << out;
    auto [out2, rc2] =
        run(cinevox + " export-mesh " + seg + " --series " + series + " --out " + series + name + " 2>&1");
    EXPECT_EQ(rc2, 1) << name << ": " << out2;
    EXPECT_NE(out2.find("error io.into_source"), std::string::npos) << name << ": " << out2;
    EXPECT_EQ(filesIn(), before) << name;
  }
}

// SPDX-License-Identifier: MIT
// io's STL and OBJ writers on a tetrahedron whose outward face normals are known analytically: the
// binary STL is parsed here byte by byte (80-byte header stating LPS mm, count, 50 bytes a facet,
// little endian), the OBJ and MTL line by line (LPS/millimetres comments, 1-based indices offset
// across objects, Kd colours). A bad mesh is refused without touching an existing file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <cvx/io/mesh_files.h>

#include "temp_dir.h"

namespace {

// The tetrahedron (0,0,0), (a,0,0), (0,a,0), (0,0,a), shifted; faces counter-clockwise from outside.
cvx::Mesh tetra(float a, float shift, const std::string& name) {
  cvx::Mesh m;
  m.name = name;
  m.points = {
      {shift, shift, shift}, {shift + a, shift, shift}, {shift, shift + a, shift}, {shift, shift, shift + a}};
  m.triangles = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
  const float s = 1 / std::sqrt(3.0f);
  m.normals = {{-s, -s, -s}, {s, 0, 0}, {0, s, 0}, {0, 0, s}};  // any unit vectors: written as given
  m.rgb = {255, 128, 0};
  return m;
}
// Outward unit normals of the four faces above, in the same order.
const float kS = 1 / std::sqrt(3.0f);
const float kFaceNormals[4][3] = {{0, 0, -1}, {0, -1, 0}, {-1, 0, 0}, {kS, kS, kS}};

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
uint32_t u32At(const std::string& b, size_t off) {
  const auto* u = reinterpret_cast<const unsigned char*>(b.data() + off);
  return u[0] | (u[1] << 8) | (u[2] << 16) | (uint32_t(u[3]) << 24);
}

}  // namespace

TEST(MeshFiles, BinaryStlHasTheHeaderTheFacetsAndOutwardNormals) {
  const cvx::test::TempDir tmp("cvx_mesh_stl");
  const cvx::Mesh m = tetra(10, -5.5f, "Liver");
  const std::string path = tmp.file("liver.stl");
  ASSERT_TRUE(cvx::io::writeStl(m, path).ok());
  const std::string b = slurp(path);
  ASSERT_EQ(b.size(), 80u + 4u + 50u * 4u);
  EXPECT_EQ(b.substr(0, 30), "CineVox segment Liver, LPS mm ");
  EXPECT_NE(b.substr(0, 5), "solid");
  ASSERT_EQ(u32At(b, 80), 4u);
  for (size_t t = 0; t < 4; ++t) {
    const size_t off = 84 + 50 * t;
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(f32At(b, off + 4 * c), kFaceNormals[t][c], 1e-6) << t;
    for (int v = 0; v < 3; ++v)
      for (int c = 0; c < 3; ++c)
        EXPECT_EQ(f32At(b, off + 12 + 12 * v + 4 * c), m.points[m.triangles[t][v]][c]);
    EXPECT_EQ(b[off + 48], 0);
    EXPECT_EQ(b[off + 49], 0);
  }
}

TEST(MeshFiles, StlOfSeveralMeshesConcatenatesAndLongNamesKeepLpsMm) {
  const cvx::test::TempDir tmp("cvx_mesh_stl2");
  std::vector<cvx::Mesh> ms{tetra(1, 0, std::string(100, 'x')), tetra(2, 3, "b")};
  const std::string header = cvx::io::stlHeader(ms);
  ASSERT_EQ(header.size(), 80u);
  EXPECT_EQ(header.rfind("CineVox segments ", 0), 0u);
  EXPECT_EQ(header.substr(80 - 8), ", LPS mm");
  const std::string path = tmp.file("two.stl");
  ASSERT_TRUE(cvx::io::writeStl(ms, path).ok());
  const std::string b = slurp(path);
  ASSERT_EQ(u32At(b, 80), 8u);
  EXPECT_EQ(b.substr(0, 80), header);
  EXPECT_EQ(f32At(b, 84 + 50 * 4 + 12), 3.0f);  // the second mesh's first corner: (3, 3, 3)
}

TEST(MeshFiles, ObjHasLpsCommentsObjectsOneBasedIndicesAndAMaterial) {
  const cvx::test::TempDir tmp("cvx_mesh_obj");
  std::vector<cvx::Mesh> ms{tetra(1, 0, "Left kidney"), tetra(2, 3, "")};
  ms[1].normals.clear();  // a mesh without normals: faces "f a b c"
  const std::string path = tmp.file("organs.obj");
  ASSERT_TRUE(cvx::io::writeObj(ms, path).ok());
  std::istringstream in(slurp(path));
  std::string line, header;
  std::vector<std::string> objects, faces, materials;
  int v = 0, vn = 0;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0)
      header += line + "\n";
    else if (line.rfind("o ", 0) == 0)
      objects.push_back(line.substr(2));
    else if (line.rfind("usemtl ", 0) == 0)
      materials.push_back(line.substr(7));
    else if (line.rfind("v ", 0) == 0)
      ++v;
    else if (line.rfind("vn ", 0) == 0)
      ++vn;
    else if (line.rfind("f ", 0) == 0)
      faces.push_back(line);
    else if (line.rfind("mtllib ", 0) == 0) {
      EXPECT_EQ(line, "mtllib organs.mtl");
    }
  }
  EXPECT_NE(header.find("LPS"), std::string::npos);
  EXPECT_NE(header.find("millimetres"), std::string::npos);
  EXPECT_EQ(objects, (std::vector<std::string>{"Left_kidney", "segment_2"}));
  EXPECT_EQ(materials, objects);
  EXPECT_EQ(v, 8);
  EXPECT_EQ(vn, 4);
  ASSERT_EQ(faces.size(), 8u);
  EXPECT_EQ(faces[0], "f 1//1 3//3 2//2");
  EXPECT_EQ(faces[3], "f 2//2 3//3 4//4");
  EXPECT_EQ(faces[4], "f 5 7 6");  // the second object's points follow the first's four
  EXPECT_EQ(faces[7], "f 6 7 8");
  const std::string mtl = slurp(tmp.file("organs.mtl"));
  EXPECT_NE(mtl.find("newmtl Left_kidney\nKd 1 0.501961 0\n"), std::string::npos) << mtl;
  EXPECT_NE(mtl.find("newmtl segment_2\n"), std::string::npos);
}

TEST(MeshFiles, ABadMeshIsRefusedAndTheUsersFileStays) {
  const cvx::test::TempDir tmp("cvx_mesh_bad");
  const std::string path = tmp.file("keep.stl");
  { std::ofstream(path) << "precious"; }
  cvx::Mesh m = tetra(1, 0, "bad");
  m.triangles.push_back({0, 1, 4});
  const auto st = cvx::io::writeStl(m, path);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "mesh.bad_mesh");
  m = tetra(1, 0, "bad");
  m.normals.pop_back();
  const auto so = cvx::io::writeObj({m}, tmp.file("x.obj"));
  ASSERT_FALSE(so.ok());
  EXPECT_EQ(so.error().code, "mesh.bad_mesh");
  EXPECT_EQ(slurp(path), "precious");
  const auto missingDir = cvx::io::writeStl(tetra(1, 0, "a"), tmp.file("no/such/dir.stl"));
  ASSERT_FALSE(missingDir.ok());
  EXPECT_EQ(missingDir.error().code, "io.write_failed");
}

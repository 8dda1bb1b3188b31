// SPDX-License-Identifier: MIT
// io's STL and OBJ writers read back by VTK's own readers (vtkSTLReader, vtkOBJReader: a test-only
// oracle): a sphere surface from cvx::mesh comes back with the same triangles, corner for corner,
// with the points within float precision, and the STL header says LPS mm.
#include <gtest/gtest.h>

#include <vtkCellArray.h>
#include <vtkCellArrayIterator.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkOBJReader.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkSTLReader.h>

#include <fstream>
#include <string>
#include <vector>

#include <cvx/io/mesh_files.h>
#include <cvx/mesh/surface.h>

#include "mesh_test_util.h"
#include "temp_dir.h"

using namespace cvx;

namespace {

Mesh sphereMesh(double r, Vec3 centre, const std::string& name) {
  const auto p = test::sphere(centre, r, 0, {0.9, 1.2, 1.5}, test::rotation({1, -1, 2}, 25));
  auto m = mesh::segmentSurface(p.mask.data(), p.dims, p.g);
  EXPECT_TRUE(m.ok()) << m.error().str();
  m->name = name;
  return *m;
}

// The triangles of a VTK poly data as corner coordinates.
std::vector<std::array<std::array<double, 3>, 3>> corners(vtkPolyData* poly) {
  std::vector<std::array<std::array<double, 3>, 3>> out;
  auto it = vtk::TakeSmartPointer(poly->GetPolys()->NewIterator());
  for (it->GoToFirstCell(); !it->IsDoneWithTraversal(); it->GoToNextCell()) {
    vtkIdType n = 0;
    const vtkIdType* ids = nullptr;
    it->GetCurrentCell(n, ids);
    EXPECT_EQ(n, 3);
    std::array<std::array<double, 3>, 3> t{};
    for (int c = 0; c < 3 && c < n; ++c) poly->GetPoint(ids[c], t[c].data());
    out.push_back(t);
  }
  return out;
}

void expectSameTriangles(const std::vector<Mesh>& ms, vtkPolyData* poly, double tol) {
  const auto read = corners(poly);
  size_t total = 0;
  for (const auto& m : ms) total += m.triangles.size();
  ASSERT_EQ(read.size(), total);
  size_t i = 0, off = 0;
  for (const auto& m : ms)
    for (const auto& t : m.triangles) {
      for (int c = 0; c < 3; ++c)
        for (int a = 0; a < 3; ++a) {
          const double want = m.points[t[c]][a];
          ASSERT_NEAR(read[i][c][a], want, tol * std::max(1.0, std::abs(want))) << "triangle " << i;
        }
      ++i;
    }
  (void)off;
}

}  // namespace

TEST(MeshFilesVtk, StlReadsBackThroughVtkSTLReader) {
  const test::TempDir tmp("cvx_mesh_vtk_stl");
  const Mesh m = sphereMesh(12, {10, -20, 130}, "Tumour");
  ASSERT_FALSE(m.empty());
  const std::string path = tmp.file("tumour.stl");
  ASSERT_TRUE(io::writeStl(m, path).ok());
  std::ifstream f(path, std::ios::binary);
  std::string header(80, '\0');
  f.read(header.data(), 80);
  EXPECT_EQ(header.rfind("CineVox segment Tumour, LPS mm", 0), 0u) << header;

  vtkNew<vtkSTLReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  // Binary STL holds the very floats: exact.
  expectSameTriangles({m}, poly, 0.0);
  EXPECT_EQ(poly->GetNumberOfPoints(),
            static_cast<vtkIdType>(m.points.size()));  // merged back to shared points
}

TEST(MeshFilesVtk, ObjWithTwoObjectsReadsBackThroughVtkOBJReader) {
  const test::TempDir tmp("cvx_mesh_vtk_obj");
  const std::vector<Mesh> ms{sphereMesh(10, {0, 0, 0}, "a"), sphereMesh(6, {40, 5, -3}, "b")};
  const std::string path = tmp.file("two.obj");
  ASSERT_TRUE(io::writeObj(ms, path).ok());
  vtkNew<vtkOBJReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfPoints(), static_cast<vtkIdType>(ms[0].points.size() + ms[1].points.size()));
  expectSameTriangles(ms, poly, 1e-6);  // 9 significant digits: float round trip
  vtkDataArray* normals = poly->GetPointData()->GetNormals();
  ASSERT_NE(normals, nullptr);
  ASSERT_EQ(normals->GetNumberOfTuples(), poly->GetNumberOfPoints());
  const auto& n = ms[1].normals.back();
  double q[3];
  normals->GetTuple(poly->GetNumberOfPoints() - 1, q);
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(q[a], n[a], 1e-6);
}

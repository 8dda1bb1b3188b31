// SPDX-License-Identifier: MIT
// The segment surface pipeline (cvx/mesh/surface.h; docs/segmentation.md, "Surfaces and meshes"):
// crop + pad, vtkFlyingEdges3D at 0.5 in voxel space, vtkWindowedSincPolyDataFilter, vtkDecimatePro,
// vtkPolyDataNormals, then orientation fixed by the signed volume and every point placed by
// worldFromVoxel (normals by its inverse transpose; a negative determinant swaps the winding).
#include <cvx/mesh/surface.h>

#include <vtkAlgorithm.h>
#include <vtkCallbackCommand.h>
#include <vtkCellArray.h>
#include <vtkCommand.h>
#include <vtkCellArrayIterator.h>
#include <vtkDataArray.h>
#include <vtkDecimatePro.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataNormals.h>
#include <vtkSmartPointer.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <new>
#include <string>

namespace cvx::mesh {
namespace {

struct Box {
  std::array<int64_t, 3> lo{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max(),
                            std::numeric_limits<int64_t>::max()};
  std::array<int64_t, 3> hi{-1, -1, -1};
  bool empty() const { return hi[0] < 0; }
};

Box boundingBox(const uint8_t* mask, const std::array<int64_t, 3>& d) {
  Box b;
  for (int64_t k = 0; k < d[2]; ++k)
    for (int64_t j = 0; j < d[1]; ++j) {
      const uint8_t* row = mask + (k * d[1] + j) * d[0];
      int64_t first = -1, last = -1;
      for (int64_t i = 0; i < d[0]; ++i)
        if (row[i]) {
          if (first < 0) first = i;
          last = i;
        }
      if (first < 0) continue;
      const std::array<int64_t, 3> lo{first, j, k}, hi{last, j, k};
      for (int a = 0; a < 3; ++a) {
        b.lo[a] = std::min(b.lo[a], lo[a]);
        b.hi[a] = std::max(b.hi[a], hi[a]);
      }
    }
  return b;
}

// The cropped mask as 0/1 bytes, padded by one empty voxel on every side; its origin is the padded
// box's first voxel in the original grid's voxel indices (spacing 1: voxel space).
vtkSmartPointer<vtkImageData> paddedImage(const uint8_t* mask, const std::array<int64_t, 3>& d,
                                          const Box& b) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  const int nx = static_cast<int>(b.hi[0] - b.lo[0] + 3), ny = static_cast<int>(b.hi[1] - b.lo[1] + 3),
            nz = static_cast<int>(b.hi[2] - b.lo[2] + 3);
  image->SetDimensions(nx, ny, nz);
  image->SetOrigin(static_cast<double>(b.lo[0] - 1), static_cast<double>(b.lo[1] - 1),
                   static_cast<double>(b.lo[2] - 1));
  image->SetSpacing(1, 1, 1);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  auto* out = static_cast<unsigned char*>(image->GetScalarPointer());
  std::fill(out, out + int64_t{nx} * ny * nz, static_cast<unsigned char>(0));
  for (int64_t k = b.lo[2]; k <= b.hi[2]; ++k)
    for (int64_t j = b.lo[1]; j <= b.hi[1]; ++j) {
      const uint8_t* row = mask + (k * d[1] + j) * d[0];
      unsigned char* dst = out + ((k - b.lo[2] + 1) * ny + (j - b.lo[1] + 1)) * int64_t{nx} + 1;
      for (int64_t i = b.lo[0]; i <= b.hi[0]; ++i) dst[i - b.lo[0]] = row[i] ? 1 : 0;
    }
  return image;
}

Error optionError(const std::string& what) { return makeError("mesh.bad_options", what); }

Status checkOptions(const SurfaceOptions& o) {
  if (o.smoothingIterations < 0 || o.smoothingIterations > 10000)
    return optionError("smoothing iterations outside 0..10000");
  if (!(o.passBand > 0 && o.passBand <= 2)) return optionError("pass band outside (0, 2]");
  if (!(o.targetReduction >= 0 && o.targetReduction < 1))
    return optionError("target reduction outside [0, 1)");
  if (o.maxTriangles < 0) return optionError("negative triangle cap");
  return {};
}

// Copies the VTK triangles into a Mesh in voxel space (only the points they use), each coordinate
// clamped to the grid's extent (-0.5 .. dims - 0.5, the outer voxel faces): windowed sinc smoothing
// can overshoot a surface that the padding closed at the border by a fraction of a voxel.
Result<Mesh> toMesh(vtkPolyData* poly, const std::array<int64_t, 3>& d) {
  Mesh m;
  vtkPoints* pts = poly->GetPoints();
  vtkDataArray* nrm = poly->GetPointData() ? poly->GetPointData()->GetNormals() : nullptr;
  const vtkIdType np = pts ? pts->GetNumberOfPoints() : 0;
  if (np > static_cast<vtkIdType>(std::numeric_limits<uint32_t>::max()))
    return makeError("mesh.too_large", "more than 2^32 - 1 points: " + std::to_string(np));
  std::vector<int64_t> remap(static_cast<size_t>(np), -1);
  auto it = vtk::TakeSmartPointer(poly->GetPolys()->NewIterator());
  for (it->GoToFirstCell(); !it->IsDoneWithTraversal(); it->GoToNextCell()) {
    vtkIdType n = 0;
    const vtkIdType* ids = nullptr;
    it->GetCurrentCell(n, ids);
    if (n != 3) continue;  // flying edges and decimation give triangles only
    std::array<uint32_t, 3> t{};
    for (int c = 0; c < 3; ++c) {
      int64_t& r = remap[static_cast<size_t>(ids[c])];
      if (r < 0) {
        r = static_cast<int64_t>(m.points.size());
        double p[3];
        pts->GetPoint(ids[c], p);
        for (int a = 0; a < 3; ++a) p[a] = std::clamp(p[a], -0.5, static_cast<double>(d[a]) - 0.5);
        m.points.push_back({static_cast<float>(p[0]), static_cast<float>(p[1]), static_cast<float>(p[2])});
        if (nrm) {
          double q[3];
          nrm->GetTuple(ids[c], q);
          m.normals.push_back({static_cast<float>(q[0]), static_cast<float>(q[1]), static_cast<float>(q[2])});
        }
      }
      t[c] = static_cast<uint32_t>(r);
    }
    m.triangles.push_back(t);
  }
  return m;
}

// Six times the signed volume enclosed by the triangles (divergence theorem).
double signedVolume6(const Mesh& m) {
  double v = 0;
  for (const auto& t : m.triangles) {
    const auto &a = m.points[t[0]], &b = m.points[t[1]], &c = m.points[t[2]];
    v += double(a[0]) * (double(b[1]) * c[2] - double(b[2]) * c[1]) -
         double(a[1]) * (double(b[0]) * c[2] - double(b[2]) * c[0]) +
         double(a[2]) * (double(b[0]) * c[1] - double(b[1]) * c[0]);
  }
  return v;
}

// Outward in voxel space: flying edges orients every triangle the same way relative to the
// gradient, so one global sign fixes them all (cavities included, where a per-region orientation
// such as vtkPolyDataNormals' AutoOrientNormals would point into the segment).
void orientOutward(Mesh& m) {
  if (signedVolume6(m) >= 0) return;
  for (auto& t : m.triangles) std::swap(t[1], t[2]);
  for (auto& n : m.normals)
    for (float& c : n) c = -c;
}

// Voxel space -> LPS mm: points by worldFromVoxel, normals by the inverse transpose of its 3x3.
void placeInWorld(Mesh& m, const Mat4& w, double det) {
  const auto& a = w.m;
  // Cofactor matrix = det * inverse transpose.
  double cof[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      const int r1 = (r + 1) % 3, r2 = (r + 2) % 3, c1 = (c + 1) % 3, c2 = (c + 2) % 3;
      cof[r][c] = a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1];
    }
  const double s = det < 0 ? -1.0 : 1.0;
  for (auto& p : m.points) {
    const Vec3 q = w.applyPoint({p[0], p[1], p[2]});
    p = {static_cast<float>(q.x), static_cast<float>(q.y), static_cast<float>(q.z)};
  }
  for (auto& n : m.normals) {
    Vec3 q{};
    for (int r = 0; r < 3; ++r) q[r] = s * (cof[r][0] * n[0] + cof[r][1] * n[1] + cof[r][2] * n[2]);
    q = normalized(q);
    n = {static_cast<float>(q.x), static_cast<float>(q.y), static_cast<float>(q.z)};
  }
  if (det < 0)
    for (auto& t : m.triangles) std::swap(t[1], t[2]);
}

bool step(Progress* progress) {
  if (progress) progress->add();
  return progress && progress->cancelled();
}

Error cancelled() { return makeError("mesh.cancelled", "the surface was cancelled"); }

// A cancel honoured inside a filter too, not only between the steps: on each of its progress events
// the filter is told to abort once progress is cancelled. Those that check AbortExecute in their
// loops stop there (VTK 9.1's vtkDecimatePro does: tests/mesh/surface_test.cpp; its windowed-sinc
// smoothing does not, and runs to its end); the step's check after them drops the partial output
// (mesh.cancelled).
void abortWhenCancelled(vtkAlgorithm* filter, Progress* progress) {
  if (!progress) return;
  vtkNew<vtkCallbackCommand> onProgress;
  onProgress->SetClientData(progress);
  onProgress->SetCallback([](vtkObject* caller, unsigned long, void* client, void*) {
    if (static_cast<Progress*>(client)->cancelled()) static_cast<vtkAlgorithm*>(caller)->SetAbortExecute(1);
  });
  filter->AddObserver(vtkCommand::ProgressEvent, onProgress);
}

Result<Mesh> surfaceImpl(const uint8_t* mask, const std::array<int64_t, 3>& d, const Geometry& g,
                         const SurfaceOptions& o, Progress* progress) {
  const Mat4 w = g.worldFromVoxel();
  const auto& a = w.m;
  const double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                     a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                     a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  if (!std::isfinite(det) || std::abs(det) < 1e-12)
    return makeError("mesh.bad_input", "the grid's worldFromVoxel is singular");
  if (progress) progress->setTotal(5);
  const Box box = boundingBox(mask, d);
  if (box.empty()) return Mesh{};
  auto image = paddedImage(mask, d, box);
  if (step(progress)) return cancelled();

  vtkNew<vtkFlyingEdges3D> iso;
  iso->SetInputData(image);
  iso->SetValue(0, 0.5);
  iso->ComputeNormalsOff();
  iso->ComputeGradientsOff();
  iso->ComputeScalarsOff();
  abortWhenCancelled(iso, progress);
  iso->Update();
  vtkSmartPointer<vtkPolyData> poly = iso->GetOutput();
  image = nullptr;
  if (step(progress)) return cancelled();

  if (o.smoothingIterations > 0 && poly->GetNumberOfPolys() > 0) {
    vtkNew<vtkWindowedSincPolyDataFilter> smooth;
    smooth->SetInputData(poly);
    smooth->SetNumberOfIterations(o.smoothingIterations);
    smooth->SetPassBand(o.passBand);
    smooth->BoundarySmoothingOff();
    smooth->FeatureEdgeSmoothingOff();
    smooth->NonManifoldSmoothingOff();
    smooth->NormalizeCoordinatesOn();
    abortWhenCancelled(smooth, progress);
    smooth->Update();
    poly = smooth->GetOutput();
  }
  if (step(progress)) return cancelled();

  double reduction = o.targetReduction;
  const double n = static_cast<double>(poly->GetNumberOfPolys());
  if (o.maxTriangles > 0 && n * (1 - reduction) > static_cast<double>(o.maxTriangles))
    reduction = std::min(1 - static_cast<double>(o.maxTriangles) / n, 0.9999);
  if (reduction > 0 && n > 0) {
    vtkNew<vtkDecimatePro> decimate;
    decimate->SetInputData(poly);
    decimate->SetTargetReduction(reduction);
    decimate->PreserveTopologyOn();
    decimate->SplittingOff();
    decimate->BoundaryVertexDeletionOff();
    decimate->SetMaximumError(VTK_DOUBLE_MAX);
    abortWhenCancelled(decimate, progress);
    decimate->Update();
    poly = decimate->GetOutput();
  }
  if (step(progress)) return cancelled();

  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputData(poly);
  normals->ConsistencyOn();
  normals->AutoOrientNormalsOff();  // orientOutward: one global sign, right for cavities too
  normals->SplittingOff();
  normals->ComputePointNormalsOn();
  normals->ComputeCellNormalsOff();
  abortWhenCancelled(normals, progress);
  normals->Update();
  if (progress && progress->cancelled()) return cancelled();  // an aborted filter's output is partial
  auto m = toMesh(normals->GetOutput(), d);
  if (!m.ok()) return m.error();
  orientOutward(*m);
  placeInWorld(*m, w, det);
  if (step(progress)) return cancelled();
  return m;
}

}  // namespace

Result<Mesh> segmentSurface(const uint8_t* mask, std::array<int64_t, 3> dims, const Geometry& g,
                            const SurfaceOptions& options, Progress* progress) {
  constexpr int64_t kMaxAxis = int64_t{1} << 30;
  for (int64_t n : dims)
    if (n < 1 || n > kMaxAxis)
      return makeError("mesh.bad_dims", "dims " + std::to_string(dims[0]) + "x" + std::to_string(dims[1]) +
                                            "x" + std::to_string(dims[2]) + ": each must be 1..2^30");
  if (dims[0] * dims[1] > (int64_t{1} << 40) / dims[2])
    return makeError("mesh.bad_dims", "more than 2^40 voxels");
  if (!mask) return makeError("mesh.bad_input", "no mask");
  CVX_TRY(checkOptions(options));
  try {
    return surfaceImpl(mask, dims, g, options, progress);
  } catch (const std::bad_alloc&) {
    return makeError("mesh.vtk_failed", "out of memory while making the surface");
  } catch (const std::exception& e) {
    return makeError("mesh.vtk_failed", e.what());
  }
}

Result<Mesh> segmentSurface(const Segmentation& s, size_t index, const SurfaceOptions& options,
                            Progress* progress) {
  if (index >= s.segments().size())
    return makeError("mesh.bad_input", "no segment " + std::to_string(index) + " (the segmentation has " +
                                           std::to_string(s.segments().size()) + ")");
  std::vector<uint8_t> mask;
  try {
    mask = s.mask(index);
  } catch (const std::bad_alloc&) {
    return makeError("mesh.vtk_failed", "out of memory for the segment's mask");
  }
  auto m = segmentSurface(mask.data(), s.dims(), s.geometry(), options, progress);
  if (!m.ok()) return m;
  m->name = s.segments()[index].name;
  m->rgb = s.segments()[index].rgb;
  return m;
}

Result<std::vector<Mesh>> segmentSurfaces(const Segmentation& s, const SurfaceOptions& options,
                                          Progress* progress) {
  std::vector<Mesh> out;
  for (size_t i = 0; i < s.segments().size(); ++i) {
    if (progress && progress->cancelled()) return cancelled();
    auto m = segmentSurface(s, i, options, nullptr);
    if (!m.ok()) return m.error();
    out.push_back(std::move(*m));
    if (progress) {
      progress->setTotal(static_cast<int64_t>(s.segments().size()));
      progress->add();
    }
  }
  return out;
}

}  // namespace cvx::mesh

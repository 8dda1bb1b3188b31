// SPDX-License-Identifier: MIT
#include "mpr_vtk.h"
#include "vtk_frame.h"

#include <cmath>
#include <limits>

#include <vtkImageData.h>
#include <vtkImageMapToWindowLevelColors.h>
#include <vtkImageReslice.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkShortArray.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedShortArray.h>

namespace cvx::bench {

struct VtkMpr::Impl {
  std::string error;
  const Volume* volume = nullptr;
  VtkFrame frame;  // vtk_frame.h: the volume in VTK's direction-free frame
  double slope = 1, intercept = 0, background = 0;
  bool isSigned = false;
  vtkNew<vtkImageData> image;
  vtkNew<vtkMatrix4x4> axes;
  vtkNew<vtkImageReslice> reslice;
  vtkNew<vtkImageMapToWindowLevelColors> colors;
  int lastSlab = -1;

};

VtkMpr::VtkMpr(const Volume& v, unsigned threads, double windowCenter, double windowWidth)
    : d_(std::make_unique<Impl>()) {
  Impl& d = *d_;
  d.volume = &v;
  const Geometry& g = v.geometry;
  d.error = vtkUnsupported(v, "VTK's reslice");
  if (!d.error.empty()) return;
  d.frame = VtkFrame(g);
  if (!v.info.rescaleApplied) {
    d.slope = v.info.rescaleSlope;
    d.intercept = v.info.rescaleIntercept;
  }
  const auto& dims = v.dims();
  const vtkIdType n = dims[0] * dims[1] * dims[2];
  d.image->SetDimensions(int(dims[0]), int(dims[1]), int(dims[2]));
  d.image->SetSpacing(g.spacingMm.x, g.spacingMm.y, g.spacingMm.z);
  d.image->SetOrigin(g.originMm.x, g.originMm.y, g.originMm.z);
  // The volume's own buffer (save = 1: VTK never frees it).
  if (v.type() == PixelType::UInt16) {
    auto a = vtkSmartPointer<vtkUnsignedShortArray>::New();
    a->SetArray(reinterpret_cast<unsigned short*>(const_cast<std::byte*>(v.slice(0, 0))), n, 1);
    d.image->GetPointData()->SetScalars(a);
    d.background = std::numeric_limits<uint16_t>::max();
  } else {
    auto a = vtkSmartPointer<vtkShortArray>::New();
    a->SetArray(reinterpret_cast<short*>(const_cast<std::byte*>(v.slice(0, 0))), n, 1);
    d.image->GetPointData()->SetScalars(a);
    d.background = std::numeric_limits<int16_t>::min();
  }
  d.reslice->SetInputData(d.image);
  d.reslice->SetInterpolationModeToLinear();
  d.reslice->SetResliceAxes(d.axes);
  d.reslice->SetBackgroundLevel(d.background);
  d.reslice->SetNumberOfThreads(int(threads));
  d.reslice->SetSlabModeToMax();
  d.reslice->SetSlabSliceSpacingFraction(1.0);
  d.colors->SetInputConnection(d.reslice->GetOutputPort());
  d.colors->SetOutputFormatToRGBA();
  d.colors->SetNumberOfThreads(int(threads));
  // Stored units: modality = stored * slope + intercept.
  d.colors->SetWindow(windowWidth / d.slope);
  d.colors->SetLevel((windowCenter - d.intercept) / d.slope);
}

VtkMpr::~VtkMpr() = default;

const std::string& VtkMpr::error() const { return d_->error; }

void VtkMpr::setOptimization(bool on) { d_->reslice->SetOptimization(on ? 1 : 0); }

void VtkMpr::draw(const MprFrame& f) {
  Impl& d = *d_;
  const Vec3 o = d.frame.toVtkPoint(f.origin), du = d.frame.toVtkVector(f.du), dv = d.frame.toVtkVector(f.dv);
  const double su = norm(du), sv = norm(dv);
  const Vec3 x = du * (1 / su), y = dv * (1 / sv), z = normalized(cross(x, y));
  const Vec3 cols[3] = {x, y, z};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) d.axes->SetElement(r, c, cols[c][r]);
    d.axes->SetElement(r, 3, o[r]);
  }
  d.axes->Modified();
  d.reslice->SetOutputExtent(0, f.width - 1, 0, f.height - 1, 0, 0);
  d.reslice->SetOutputOrigin(0, 0, 0);
  d.reslice->SetOutputSpacing(su, sv, f.slabSamples > 1 ? f.slabStepMm : 1.0);
  if (d.lastSlab != f.slabSamples) {
    d.reslice->SetSlabNumberOfSlices(f.slabSamples > 1 ? f.slabSamples : 1);
    d.lastSlab = f.slabSamples;
  }
  d.colors->Update();
}

std::vector<float> VtkMpr::values() const {
  vtkImageData* out = d_->reslice->GetOutput();
  vtkDataArray* a = out->GetPointData()->GetScalars();
  std::vector<float> v(size_t(a ? a->GetNumberOfTuples() : 0));
  for (size_t i = 0; i < v.size(); ++i) {
    const double s = a->GetTuple1(vtkIdType(i));
    v[i] = s == d_->background ? std::numeric_limits<float>::quiet_NaN() : float(s * d_->slope + d_->intercept);
  }
  return v;
}

const uint8_t* VtkMpr::rgba() const {
  return static_cast<const uint8_t*>(d_->colors->GetOutput()->GetScalarPointer());
}

}  // namespace cvx::bench

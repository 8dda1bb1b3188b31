// SPDX-License-Identifier: MIT
#include "render_vtk.h"
#include "vtk_frame.h"

#include <chrono>
#include <cstdlib>

#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFixedPointVolumeRayCastMapper.h>
#include <vtkImageData.h>
#include <vtkLight.h>
#include <vtkNew.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkShortArray.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkUnsignedShortArray.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

namespace cvx::bench {

struct VtkVolume::Impl {
  std::string error;
  VtkFrame frame;  // vtk_frame.h: the volume in VTK's direction-free frame
  bool mirrored = false;
  int width = 0, height = 0;
  vtkNew<vtkImageData> image;
  vtkNew<vtkPiecewiseFunction> opacity;
  vtkNew<vtkColorTransferFunction> colour;
  vtkNew<vtkVolumeProperty> property;
  vtkNew<vtkFixedPointVolumeRayCastMapper> mapper;
  vtkNew<vtkVolume> volume;
  vtkNew<vtkRenderer> renderer;
  vtkNew<vtkLight> light;
  vtkSmartPointer<vtkRenderWindow> window;

};

VtkVolume::VtkVolume(const Volume& v, unsigned threads, const VolumeLook& look, int width, int height)
    : d_(std::make_unique<Impl>()) {
  Impl& d = *d_;
  const Geometry& g = v.geometry;
  d.error = vtkUnsupported(v, "VTK's mapper");
  if (!d.error.empty()) return;
  if (!std::getenv("DISPLAY")) {
    d.error = "no X display (Debian's VTK is GLX only: run under xvfb-run -a)";
    return;
  }
  d.frame = VtkFrame(g);
  d.mirrored = dot(cross(g.direction[0], g.direction[1]), g.direction[2]) < 0;
  d.width = width;
  d.height = height;
  double slope = 1, intercept = 0;
  if (!v.info.rescaleApplied) slope = v.info.rescaleSlope, intercept = v.info.rescaleIntercept;
  const auto& dims = v.dims();
  const vtkIdType n = dims[0] * dims[1] * dims[2];
  d.image->SetDimensions(int(dims[0]), int(dims[1]), int(dims[2]));
  d.image->SetSpacing(g.spacingMm.x, g.spacingMm.y, g.spacingMm.z);
  d.image->SetOrigin(g.originMm.x, g.originMm.y, g.originMm.z);
  void* voxels = const_cast<std::byte*>(v.slice(0, 0));
  if (v.type() == PixelType::UInt16) {
    auto a = vtkSmartPointer<vtkUnsignedShortArray>::New();
    a->SetArray(static_cast<unsigned short*>(voxels), n, 1);  // save = 1: VTK never frees it
    d.image->GetPointData()->SetScalars(a);
  } else {
    auto a = vtkSmartPointer<vtkShortArray>::New();
    a->SetArray(static_cast<short*>(voxels), n, 1);
    d.image->GetPointData()->SetScalars(a);
  }
  // The fixed-point mapper works on stored values: HU = stored * slope + intercept.
  for (const TfPoint& p : look.points) {
    const double s = (p.value - intercept) / slope;
    d.opacity->AddPoint(s, p.alpha);
    d.colour->AddRGBPoint(s, p.r, p.g, p.b);
  }
  d.property->SetScalarOpacity(d.opacity);
  d.property->SetColor(d.colour);
  d.property->SetScalarOpacityUnitDistance(look.unitMm);
  d.property->SetInterpolationTypeToLinear();
  if (look.shading.on)
    d.property->ShadeOn();
  else
    d.property->ShadeOff();
  d.property->SetAmbient(look.shading.ambient);
  d.property->SetDiffuse(look.shading.diffuse);
  d.property->SetSpecular(look.shading.specular);
  d.property->SetSpecularPower(look.shading.power);

  d.mapper->SetInputData(d.image);
  if (look.mip)
    d.mapper->SetBlendModeToMaximumIntensity();
  else
    d.mapper->SetBlendModeToComposite();
  d.mapper->AutoAdjustSampleDistancesOff();
  d.mapper->LockSampleDistanceToInputSpacingOff();
  d.mapper->SetSampleDistance(float(look.sampleMm));
  d.mapper->SetInteractiveSampleDistance(float(look.sampleMm));
  d.mapper->SetImageSampleDistance(1.0f);  // one ray a pixel
  d.mapper->SetMinimumImageSampleDistance(1.0f);
  d.mapper->SetMaximumImageSampleDistance(1.0f);
  d.mapper->SetNumberOfThreads(int(threads));
  d.mapper->IntermixIntersectingGeometryOff();  // no depth buffer read back: CineVox takes none either
  d.volume->SetMapper(d.mapper);
  d.volume->SetProperty(d.property);

  d.renderer->SetBackground(0, 0, 0);
  d.renderer->AddVolume(d.volume);
  // A white headlight, as CineVox's. VTK's default light has a black ambient colour, and the
  // fixed-point mapper's shading tables take ambient as Ka * the light's ambient colour: without this
  // VTK's images lack the ambient term (about 25 % darker on the CT with shading on).
  d.light->SetLightTypeToHeadlight();
  d.light->SetAmbientColor(1, 1, 1);
  d.light->SetDiffuseColor(1, 1, 1);
  d.light->SetSpecularColor(1, 1, 1);
  d.light->SetIntensity(1);
  d.renderer->AddLight(d.light);
  d.window = vtkSmartPointer<vtkRenderWindow>::New();
  d.window->SetOffScreenRendering(1);
  d.window->SetSize(width, height);
  d.window->AddRenderer(d.renderer);
}

VtkVolume::~VtkVolume() = default;

const std::string& VtkVolume::error() const { return d_->error; }

double VtkVolume::render(const Camera3D& c) {
  Impl& d = *d_;
  vtkCamera* cam = d.renderer->GetActiveCamera();
  const Vec3 eye = d.frame.toVtkPoint(c.eye), centre = d.frame.toVtkPoint(c.center), up = d.frame.toVtkVector(c.up);
  cam->SetPosition(eye.x, eye.y, eye.z);
  cam->SetFocalPoint(centre.x, centre.y, centre.z);
  cam->SetViewUp(up.x, up.y, up.z);
  cam->SetParallelProjection(c.perspective ? 0 : 1);
  cam->SetViewAngle(c.fovYDeg);  // vertical (UseHorizontalViewAngle off)
  cam->SetParallelScale(c.parallelHalfHeightMm);
  cam->OrthogonalizeViewUp();
  d.renderer->ResetCameraClippingRange();  // near and far planes around the whole volume
  const auto t0 = std::chrono::steady_clock::now();
  d.window->Render();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<uint8_t> VtkVolume::rgb() const {
  const Impl& d = *d_;
  vtkNew<vtkUnsignedCharArray> a;
  d.window->GetPixelData(0, 0, d.width - 1, d.height - 1, 0, a);  // the buffer rendered into
  std::vector<uint8_t> out(size_t(d.width) * d.height * 3);
  if (a->GetNumberOfTuples() * a->GetNumberOfComponents() < vtkIdType(out.size())) return {};
  const uint8_t* src = a->GetPointer(0);
  for (int y = 0; y < d.height; ++y)  // OpenGL rows run bottom up
    for (int x = 0; x < d.width; ++x) {
      const int sx = d.mirrored ? d.width - 1 - x : x;
      const uint8_t* s = src + 3 * (size_t(d.height - 1 - y) * d.width + sx);
      uint8_t* o = out.data() + 3 * (size_t(y) * d.width + x);
      o[0] = s[0], o[1] = s[1], o[2] = s[2];
    }
  return out;
}

}  // namespace cvx::bench

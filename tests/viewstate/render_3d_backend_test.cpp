// SPDX-License-Identifier: MIT
// VolumeRenderer's back end and its copy of the voxels: voxels that change in place (progressive
// loading) are drawn once voxelsChanged() says so, exactly as a fresh renderer draws them, although
// the brick map built before had those bricks empty; a back end that faults (cuda.*) hands the
// frame to the CPU, which draws it exactly, and says why. drawOnDevice, the 3D view's path to an
// OpenGL texture without the host: the frame a device back end hands over is draw()'s frame of a
// renderer on the CPU; a back end that draws into host memory only, or a scene with segment surfaces
// (composited on the host), is render.no_device_frame without a frame; a CUDA fault while the frame
// is used moves the renderer to the CPU and says why; a refused texture write is no fault.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include <cvx/core/backend.h>
#include <cvx/core/hd/window.h>
#include <cvx/render/backend.h>
#include <cvx/viewstate/render_3d.h>

#include "device_like.h"

using namespace cvx;
using namespace cvx::view;
using cvx::view::test::DeviceLike;

namespace {

// 48^3 mm of air with a bone ball (1000) at (16, 24, 24) mm; `second`: another at (34, 24, 24).
void fill(Volume& v, bool second) {
  int16_t* p = v.as<int16_t>();
  for (int k = 0; k < 48; ++k)
    for (int j = 0; j < 48; ++j)
      for (int i = 0; i < 48; ++i) {
        const auto near = [&](double cx) { return (i - cx) * (i - cx) + (j - 24.0) * (j - 24.0) + (k - 24.0) * (k - 24.0) <= 36; };
        *p++ = near(16) || (second && near(34)) ? 1000 : -1000;
      }
}

std::shared_ptr<Volume> balls(bool second) {
  auto v = Volume::create(PixelType::Int16, {48, 48, 48, 1}).value();
  fill(*v, second);
  return v;
}

TransferPreset bone() {
  TransferPreset t;
  t.name = "test-bone";
  t.points = {{-1000, 0, 0, 0, 0}, {200, 1, 0.9f, 0.8f, 0}, {600, 1, 1, 1, 0.9f}};
  return t;
}

std::vector<uint32_t> draw(VolumeRenderer& r, std::shared_ptr<const Volume> v) {
  auto im = r.draw(std::move(v), 0, bone(), {}, 64, 64);
  EXPECT_TRUE(im.ok()) << (im.ok() ? "" : im.error().str());
  return im.ok() ? (*im)->pixels : std::vector<uint32_t>{};
}

size_t lit(const std::vector<uint32_t>& px) {
  return static_cast<size_t>(std::count_if(px.begin(), px.end(), [](uint32_t c) { return (c & 0xFF) > 32; }));
}

TEST(Render3dBackend, VoxelsChangedInPlaceAreDrawnLikeAFreshRenderer) {
  auto loading = balls(false);  // the second ball's slices have not arrived yet
  VolumeRenderer r;
  const auto before = draw(r, loading);
  fill(*loading, true);  // they arrive, in place
  const auto stale = draw(r, loading);
  r.voxelsChanged();
  const auto after = draw(r, loading);
  VolumeRenderer fresh;
  const auto reference = draw(fresh, balls(true));
  ASSERT_EQ(after.size(), reference.size());
  EXPECT_TRUE(after == reference) << "drawn after voxelsChanged equals a fresh renderer's image";
  // The test can fail: the second ball is in view, and the map built before skipped it.
  EXPECT_GT(lit(reference), lit(before) * 3 / 2) << lit(reference) << " vs " << lit(before);
  EXPECT_FALSE(stale == reference) << "without voxelsChanged the old brick map hides the new ball";
  EXPECT_FALSE(r.backendName().empty());
}

// A GPU back end whose every frame faults; it counts its frames in *calls (it is destroyed when
// the renderer gives up on it).
class FaultingBackend : public Backend {
 public:
  explicit FaultingBackend(int* calls) : calls_(calls) {}
  std::string name() const override { return "test-faulting-gpu"; }
  BackendCapabilities capabilities() const override { return {}; }
  Result<VolumeHandle> uploadVolume(const Volume&) override { return VolumeHandle{1}; }
  Status release(VolumeHandle) override { return {}; }
  void releaseAll() override {}
  Status raycast(const RaycastJob&) override {
    ++*calls_;
    return makeError("cuda.fault", "cudaLaunchKernel: cudaErrorIllegalAddress (an illegal memory access)");
  }

 private:
  int* calls_;
};

TEST(Render3dBackend, AFaultMovesTheFrameToTheCpuAndSaysWhy) {
  auto v = balls(true);
  VolumeRenderer cpu;
  const auto reference = draw(cpu, v);
  VolumeRenderer r;
  int calls = 0;
  r.useBackend(std::make_unique<FaultingBackend>(&calls));
  const auto first = draw(r, v);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(r.backendName(), "cpu");
  EXPECT_NE(r.backendNote().find("cudaErrorIllegalAddress"), std::string::npos) << r.backendNote();
  EXPECT_TRUE(first == reference) << "the faulted frame is drawn by the CPU";
  EXPECT_TRUE(draw(r, v) == reference) << "and so are the next ones";
  EXPECT_EQ(calls, 1) << "the faulting back end is not asked again";
}

// Errors of the request are not faults: they come back, and the back end stays.
TEST(Render3dBackend, BadRequestsAreNotFaults) {
  VolumeRenderer r;
  auto im = r.draw(balls(false), 3, bone(), {}, 64, 64);
  ASSERT_FALSE(im.ok());
  EXPECT_EQ(im.error().code, "render.bad_request");
  EXPECT_TRUE(r.backendNote().empty());
}

// The frame's bytes as the host image makes them (hd::displayPixel, as render_3d.cpp).
std::vector<uint32_t> bytesOf(const float* rgba, size_t n) {
  std::vector<uint32_t> px(n);
  for (size_t i = 0; i < n; ++i)
    px[i] = hd::displayPixel(&rgba[4 * i]);
  return px;
}

constexpr int kW = 48, kH = 40;

TEST(Render3dDevice, TheDevicesFrameIsTheCpuRenderersImage) {
  const auto v = balls(true);
  Camera3DView cam;
  cam.azimuthDeg = 30, cam.elevationDeg = 15;
  VolumeRenderer cpu;
  cpu.useBackend(std::make_shared<render::CpuBackend>());
  auto reference = cpu.draw(v, 0, bone(), cam, kW, kH);
  ASSERT_TRUE(reference.ok()) << reference.error().str();
  EXPECT_FALSE(cpu.onDevice());

  auto device = std::make_shared<DeviceLike>();
  VolumeRenderer r;
  r.useBackend(device);
  EXPECT_TRUE(r.onDevice());
  std::vector<uint32_t> got;
  const Status st = r.drawOnDevice(v, 0, bone(), cam, kW, kH, {}, {}, [&](const float* frame) {
    got = bytesOf(frame, static_cast<size_t>(kW) * kH);
    return Status{};
  });
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(device->frames, 1);
  ASSERT_EQ(got.size(), (*reference)->pixels.size());
  EXPECT_TRUE(got == (*reference)->pixels) << "the same camera, preset, size and quality as draw()";
  EXPECT_GT(lit(got), size_t{30}) << "the balls are in view: the comparison can fail";
}

TEST(Render3dDevice, HostOnlyBackEndsAndSurfacesHaveNoDeviceFrame) {
  const auto v = balls(true);
  int used = 0;
  auto use = [&](const float*) { return ++used, Status{}; };
  VolumeRenderer cpu;
  cpu.useBackend(std::make_shared<render::CpuBackend>());
  Status st = cpu.drawOnDevice(v, 0, bone(), {}, kW, kH, {}, {}, use);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.no_device_frame");

  auto device = std::make_shared<DeviceLike>();
  VolumeRenderer r;
  r.useBackend(device);
  auto mesh = std::make_shared<Mesh>();
  mesh->points = {{10, 10, 10}, {40, 10, 10}, {10, 40, 10}};
  mesh->triangles = {{0, 1, 2}};
  r.setMeshes({mesh});
  st = r.drawOnDevice(v, 0, bone(), {}, kW, kH, {}, {}, use);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.no_device_frame");
  EXPECT_EQ(device->frames, 0);
  EXPECT_EQ(used, 0);
  EXPECT_TRUE(r.draw(v, 0, bone(), {}, kW, kH).ok()) << "draw() composites the surfaces on the host";
}

TEST(Render3dDevice, AFaultMovesToTheCpuAndARefusedTextureIsNoFault) {
  const auto v = balls(true);
  auto device = std::make_shared<DeviceLike>();
  VolumeRenderer r;
  r.useBackend(device);
  const Status refused = r.drawOnDevice(v, 0, bone(), {}, kW, kH, {}, {}, [](const float*) {
    return Status(makeError("render.gl_error", "glTexSubImage2D: GL_INVALID_OPERATION"));
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "render.gl_error");
  EXPECT_EQ(r.backendName(), "test-device") << "a texture OpenGL refused is the view's problem";
  EXPECT_TRUE(r.backendNote().empty());

  device->useFault = true;
  const Status st = r.drawOnDevice(v, 0, bone(), {}, kW, kH, {}, {}, [](const float*) { return Status{}; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "render.no_device_frame") << "the CPU now draws, into host memory";
  EXPECT_EQ(r.backendName(), "cpu");
  EXPECT_NE(r.backendNote().find("cudaErrorIllegalAddress"), std::string::npos) << r.backendNote();
  EXPECT_FALSE(r.onDevice());
  EXPECT_TRUE(r.draw(v, 0, bone(), {}, kW, kH).ok());
}

}  // namespace

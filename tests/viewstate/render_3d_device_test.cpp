// SPDX-License-Identifier: MIT
// VolumeRenderer::drawOnDevice, the 3D view's path to an OpenGL texture without the host: the
// frame a device back end hands over is draw()'s frame of a renderer on the CPU; a back end that
// draws into host memory only, or a scene with segment surfaces (composited on the host), is
// render.no_device_frame without a frame; a CUDA fault while the frame is used moves the renderer
// to the CPU and says why; a refused texture write (render.gl_error) is no fault.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include <cvx/core/backend.h>
#include <cvx/core/hd/window.h>
#include <cvx/render/backend.h>
#include <cvx/viewstate/render_3d.h>

using namespace cvx;
using namespace cvx::view;

namespace {

// 40^3 mm of air with a bone ball (1000, radius 8 mm) off centre.
std::shared_ptr<Volume> ball() {
  auto v = Volume::create(PixelType::Int16, {40, 40, 40, 1}).value();
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i)
        *p++ = (i - 15) * (i - 15) + (j - 20) * (j - 20) + (k - 22) * (k - 22) <= 64 ? 1000 : -1000;
  return v;
}

TransferPreset bone() {
  TransferPreset t;
  t.name = "test-bone";
  t.points = {{-1000, 0, 0, 0, 0}, {200, 1, 0.9f, 0.8f, 0}, {600, 1, 1, 1, 0.9f}};
  return t;
}

// A device back end as the renderer sees one: its frames stay in its own memory (here a host
// buffer drawn by the CPU's ray caster, as CUDA's equal it within tolerance on a GPU machine), and
// withDeviceFrame hands them to `use`. `useFault`: the CUDA fault returned in place of use's Status.
class DeviceLike : public Backend {
 public:
  std::string name() const override { return "test-device"; }
  BackendCapabilities capabilities() const override {
    BackendCapabilities c;
    c.gpu = true;
    return c;
  }
  Result<VolumeHandle> uploadVolume(const Volume& v) override { return cpu_.uploadVolume(v); }
  Status release(VolumeHandle h) override { return cpu_.release(h); }
  void releaseAll() override { cpu_.releaseAll(); }
  Status raycast(const RaycastJob& job) override { return cpu_.raycast(job); }
  Status withDeviceFrame(const RaycastJob& job, const DeviceFrameUse& use) override {
    ++frames;
    if (useFault) return makeError("cuda.fault", "cudaGraphicsMapResources: cudaErrorIllegalAddress");
    RaycastJob j = job;
    memory.assign(4 * static_cast<size_t>(job.width) * static_cast<size_t>(job.height), -1.0f);
    j.rgba = memory.data();
    j.depth = j.value = nullptr;
    CVX_TRY(cpu_.raycast(j));
    return use(memory.data());
  }
  std::vector<float> memory;
  int frames = 0;
  bool useFault = false;

 private:
  render::CpuBackend cpu_;
};

// The frame's bytes as the host image makes them (hd::displayPixel, as render_3d.cpp).
std::vector<uint32_t> bytesOf(const float* rgba, size_t n) {
  std::vector<uint32_t> px(n);
  for (size_t i = 0; i < n; ++i)
    px[i] = hd::displayPixel(&rgba[4 * i]);
  return px;
}

constexpr int kW = 48, kH = 40;

TEST(Render3dDevice, TheDevicesFrameIsTheCpuRenderersImage) {
  const auto v = ball();
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
  int lit = 0;
  for (uint32_t c : got) lit += (c & 0xFF) > 32;
  EXPECT_GT(lit, 40) << "the ball is in view: the comparison can fail";
}

TEST(Render3dDevice, HostOnlyBackEndsAndSurfacesHaveNoDeviceFrame) {
  const auto v = ball();
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
  mesh->points = {{10, 10, 10}, {30, 10, 10}, {10, 30, 10}};
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
  const auto v = ball();
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

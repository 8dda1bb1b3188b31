// SPDX-License-Identifier: MIT
// OpenGL interop (cuda/gl): in a headless EGL context, CUDA renders a phantom and writes the frame
// into a GL texture; the texture read back (glGetTexImage) equals, byte for byte, the same frame
// copied to the host and mapped with hd::displayByte. The same through the host path, and again
// after the context is destroyed and a new one made (a QOpenGLWidget recreating its context), and
// through Backend::withDeviceFrame (the 3D view's path: VolumeRenderer::drawOnDevice).
// Skips without a device; fails with CVX_REQUIRE_CUDA=1, also when EGL cannot make a context.
#include <GL/gl.h>

#include <cvx/core/hd/window.h>
#include <cvx/core/raycast.h>
#include <cvx/core/transfer.h>
#include <cvx/cuda/backend.h>
#include <cvx/cuda/gl_target.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "egl_context.h"
#include "need_gpu.h"

namespace {

constexpr int kW = 160, kH = 120;

// A shell of bone-like values around a softer core, int16 on an anisotropic grid.
std::shared_ptr<cvx::Volume> phantom() {
  auto v = cvx::Volume::create(cvx::PixelType::Int16, {64, 60, 40, 1}).value();
  v->geometry.spacingMm = {0.9, 0.9, 1.4};
  int16_t* p = v->as<int16_t>();
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 60; ++j)
      for (int i = 0; i < 64; ++i) {
        const double r = std::sqrt((i - 32.0) * (i - 32.0) + (j - 30.0) * (j - 30.0) + 2.4 * (k - 20.0) * (k - 20.0));
        *p++ = static_cast<int16_t>(r < 18 ? (r > 14 ? 900 : 150) : -1000);
      }
  return v;
}

// The frame: the job, and the bytes the texture must hold (the host copy through displayByte).
struct Frame {
  std::shared_ptr<cvx::Volume> volume = phantom();
  cvx::TransferTable table;
  cvx::RaycastJob job;
  std::vector<uint8_t> expected;
};

void makeFrame(cvx::cuda::CudaBackend& gpu, Frame& f) {
  auto t = cvx::buildTransferTable({{-1000, 0, 0, 0, 0}, {100, 0.8f, 0.4f, 0.3f, 0.05f}, {900, 1, 1, 0.9f, 0.9f}}, 1.0);
  ASSERT_TRUE(t.ok());
  f.table = std::move(*t);
  cvx::Camera3D cam;
  cam.center = f.volume->geometry.worldAt(32, 30, 20);
  cam.eye = cam.center + cvx::Vec3{-80, -150, 60};
  cam.fovYDeg = 30;
  f.job.volume = f.volume.get();
  f.job.params = cvx::raycastParams(f.volume->geometry, f.volume->dims(), cam, kW, kH);
  f.job.params.stepMm = 0.5f;
  f.job.params.shading.on = true;
  f.job.tf = f.table.view();
  f.job.width = kW, f.job.height = kH;
  std::vector<float> rgba(4 * kW * kH);
  f.job.rgba = rgba.data();
  ASSERT_TRUE(gpu.raycast(f.job).ok());
  f.job.rgba = nullptr;
  f.expected.resize(4 * kW * kH);
  size_t drawn = 0;
  for (size_t i = 0; i < rgba.size(); ++i) {
    f.expected[i] = i % 4 == 3 ? 255 : cvx::hd::displayByte(rgba[i]);
    drawn += i % 4 == 0 && f.expected[i] > 40;
  }
  ASSERT_GT(drawn, static_cast<size_t>(kW * kH / 20)) << "the phantom is in view";
}

// A new RGBA8 texture of kW x kH, filled with 7s so that a write that does nothing is seen.
GLuint newTexture() {
  GLuint tex = 0;
  glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  const std::vector<uint8_t> sevens(4 * kW * kH, 7);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kW, kH, 0, GL_RGBA, GL_UNSIGNED_BYTE, sevens.data());
  return tex;
}

std::vector<uint8_t> readBack(GLuint tex) {
  std::vector<uint8_t> out(4 * kW * kH, 0);
  glBindTexture(GL_TEXTURE_2D, tex);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  return out;
}

size_t differing(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t n = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) n += a[i] != b[i];
  return n + (a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
}

// viaBackend: the 3D view's path, the frame handed over by Backend::withDeviceFrame (the view
// writes it inside `use`, while no other frame can replace it), not raycastOnDevice's pointer.
void writeAndCompare(cvx::cuda::CudaBackend& gpu, Frame& f, bool interop, bool viaBackend = false) {
  const GLuint tex = newTexture();
  cvx::cuda::GlTarget target;
  ASSERT_TRUE(target.attach(tex, kW, kH, interop).ok());
  // The NVIDIA EGL context registers; the host path is only for contexts that cannot.
  ASSERT_EQ(target.interop(), interop) << target.why();
  if (viaBackend) {
    cvx::Backend& backend = gpu;
    const cvx::Status st =
        backend.withDeviceFrame(f.job, [&](const float* deviceRgba) { return target.write(deviceRgba); });
    ASSERT_TRUE(st.ok()) << st.error().str();
  } else {
    auto image = gpu.raycastOnDevice(f.job);
    ASSERT_TRUE(image.ok()) << image.error().str();
    const cvx::Status st = target.write(*image);
    ASSERT_TRUE(st.ok()) << st.error().str();
  }
  const std::vector<uint8_t> got = readBack(tex);
  EXPECT_EQ(differing(got, f.expected), 0u) << (interop ? "interop" : "host path");
  target.detach();
  glDeleteTextures(1, &tex);
}

TEST(CudaGlInterop, TextureReadBackEqualsTheCudaImage) {
  CVX_NEED_GPU();
  auto made = cvx::cuda::CudaBackend::create();
  ASSERT_TRUE(made.ok()) << made.error().str();
  auto* gpu = static_cast<cvx::cuda::CudaBackend*>(made->get());
  Frame f;
  {
    cvx::test::EglContext egl;
    ASSERT_TRUE(egl.ok()) << egl.why();
    std::printf("EGL vendor: %s\n", egl.vendor().c_str());
    makeFrame(*gpu, f);
    writeAndCompare(*gpu, f, true);
    writeAndCompare(*gpu, f, false);
    writeAndCompare(*gpu, f, true, true);
  }
  // The context is gone; a new one (the widget's recreated context) takes a new registration.
  cvx::test::EglContext again;
  ASSERT_TRUE(again.ok()) << again.why();
  writeAndCompare(*gpu, f, true);
}

TEST(CudaGlInterop, BadAttachAndWriteAreErrors) {
  CVX_NEED_GPU();
  cvx::cuda::GlTarget target;
  EXPECT_EQ(target.attach(0, kW, kH).error().code, "render.bad_request");
  EXPECT_EQ(target.attach(1, 0, kH).error().code, "render.bad_request");
  EXPECT_FALSE(target.attached());
  EXPECT_EQ(target.write(nullptr).error().code, "render.bad_request");
}

}  // namespace

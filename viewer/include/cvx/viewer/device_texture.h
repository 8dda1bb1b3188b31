// SPDX-License-Identifier: MIT
// The 3D view's texture written from a device frame (VolumeRenderer::drawOnDevice) without a host
// round trip. The viewer does not link CUDA (the map: viewer -> render -> core <- cuda); the app,
// which does, gives a factory over cuda::GlTarget where CUDA's OpenGL interop is built. No Qt, CUDA
// or GL type in this header.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include <cvx/core/error.h>

namespace cvx::viewer {

// Every call with the OpenGL context of the texture current (cuda::GlTarget's contract).
class DeviceTexture {
 public:
  virtual ~DeviceTexture() = default;
  // texture: an RGBA8 GL_TEXTURE_2D of width x height.
  virtual Status attach(unsigned texture, int width, int height) = 0;
  virtual void detach() = 0;  // before the texture or its context goes
  // deviceRgba: the frame on the device (premultiplied float RGBA, row 0 the top) into the texture
  // as bytes over black (hd::displayByte, the host image's rule).
  virtual Status write(const float* deviceRgba) = 0;
  // Empty when the device writes the texture itself; else why its frames go through host memory.
  virtual std::string why() const = 0;
};

using DeviceTextureFactory = std::function<std::unique_ptr<DeviceTexture>()>;

// Set by the app before the window opens (app/cmd_view.cpp); unset: every frame is uploaded from
// host memory.
void setDeviceTextureFactory(DeviceTextureFactory factory);
std::unique_ptr<DeviceTexture> makeDeviceTexture();  // null without a factory

}  // namespace cvx::viewer

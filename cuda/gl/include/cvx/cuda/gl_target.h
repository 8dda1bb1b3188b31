// SPDX-License-Identifier: MIT
// CUDA's image written straight into an OpenGL texture (OpenGL interop): the 3D view's picture
// without a round trip through host memory. The texture is registered with CUDA once; each frame
// maps it, a kernel writes the premultiplied float image as bytes over black (hd::displayByte, the
// CPU view's rule) and unmaps it. Where registration is impossible (a Mesa context, some
// hybrid-graphics laptops) the frame goes through the host instead: copied back, then
// glTexSubImage2D. When the widget's context is recreated (undocking, full screen), detach before
// it goes and attach to the new texture. No CUDA or GL type in this header.
#pragma once
#include <memory>
#include <string>

#include <cvx/core/error.h>

namespace cvx::cuda {

class GlTarget {
 public:
  GlTarget();
  ~GlTarget();  // detaches: the texture's context must be current
  GlTarget(const GlTarget&) = delete;
  GlTarget& operator=(const GlTarget&) = delete;

  // texture: a GL_TEXTURE_2D of the current context, RGBA8, width x height. With interop (the
  // default) it is registered with CUDA; when that fails, or interop is false, write() goes through
  // the host and why() says so. render.bad_request for texture 0 or a size outside 1..16384;
  // cuda.no_device without a usable device.
  Status attach(unsigned texture, int width, int height, bool interop = true);
  // With the context current, before it is destroyed: unregisters the texture.
  void detach();
  bool attached() const;
  bool interop() const;          // CUDA writes the texture itself
  const std::string& why() const;  // why the host path is used (empty with interop)

  // deviceRgba: width x height premultiplied float RGBA in device memory, row 0 the image's top
  // (CudaBackend::raycastOnDevice). Texel (x, y) of the texture, row y = 0 first in memory, gets
  // pixel (x, y) as RGBA8 with alpha 255. render.bad_request when not attached or null;
  // cuda.fault on a CUDA error; render.gl_error when OpenGL refuses the host path's upload.
  Status write(const float* deviceRgba);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cvx::cuda

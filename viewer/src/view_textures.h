// SPDX-License-Identifier: MIT
// The 3D view's pictures in OpenGL (the view is a QOpenGLWidget): two RGBA8 textures, the preview
// drawn while the camera moves and the full-resolution image, each drawn over the whole view,
// smoothly scaled. A texture is uploaded from host bytes, or the preview is written by the device
// that rendered it (DeviceTexture, cuda::GlTarget: no host round trip) where the app gives a factory
// and the 3D view renders on a GPU. Every call with the view's context current.
#pragma once
#include <memory>
#include <string>

#include <QOpenGLFunctions>
#include <QOpenGLTextureBlitter>

#include <cvx/viewer/device_texture.h>

namespace cvx::viewer {

class ViewTextures : protected QOpenGLFunctions {
 public:
  enum Which { kPreview = 0, kFine = 1 };
  void create();   // initializeGL: the blitter (textures are made as frames arrive)
  void destroy();  // before the context goes (also on its recreation): textures, registration
  bool created() const { return created_; }
  // Row 0 of rgba8 (width x height RGBA bytes) is the picture's top.
  void upload(Which which, int width, int height, const void* rgba8);
  // The device writer attached to the preview texture of width x height; null when frames go
  // through the host (no factory, or the device refused: note() says why).
  DeviceTexture* devicePreview(int width, int height);
  // The device's writes failed (render.gl_error): host uploads from now on, and note() says why.
  void dropDevice(const std::string& why);
  const std::string& note() const { return note_; }
  void clear();                                   // black
  void draw(Which which, int viewportW, int viewportH);  // over the whole viewport

 private:
  void ensure(Which which, int width, int height);  // the texture, with storage of that size
  bool created_ = false;
  unsigned tex_[2] = {0, 0};
  int w_[2] = {0, 0}, h_[2] = {0, 0};
  std::unique_ptr<QOpenGLTextureBlitter> blitter_;  // one per context: destroy() leaves it unusable
  std::unique_ptr<DeviceTexture> device_;
  bool deviceTried_ = false, deviceOff_ = false, deviceAttached_ = false;
  std::string note_;
};

}  // namespace cvx::viewer

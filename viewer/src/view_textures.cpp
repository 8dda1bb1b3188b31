// SPDX-License-Identifier: MIT
#include "view_textures.h"

#include <QMatrix4x4>
#include <QRect>

#include <cvx/core/log.h>

namespace cvx::viewer {

void ViewTextures::create() {
  initializeOpenGLFunctions();
  blitter_ = std::make_unique<QOpenGLTextureBlitter>();
  blitter_->create();
  created_ = true;
}

void ViewTextures::destroy() {
  if (!created_) return;
  if (device_ && deviceAttached_) device_->detach();
  deviceAttached_ = false;
  device_.reset();
  deviceTried_ = false;  // a new context may register again
  for (int i = 0; i < 2; ++i) {
    if (tex_[i] != 0) glDeleteTextures(1, &tex_[i]);
    tex_[i] = 0;
    w_[i] = h_[i] = 0;
  }
  blitter_->destroy();
  blitter_.reset();
  created_ = false;
}

void ViewTextures::ensure(Which which, int width, int height) {
  if (tex_[which] == 0) {
    glGenTextures(1, &tex_[which]);
    glBindTexture(GL_TEXTURE_2D, tex_[which]);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, tex_[which]);
  if (w_[which] != width || h_[which] != height) {
    if (which == kPreview && deviceAttached_) device_->detach();  // registered with the old storage
    deviceAttached_ = deviceAttached_ && which != kPreview;
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    w_[which] = width;
    h_[which] = height;
  }
}

void ViewTextures::upload(Which which, int width, int height, const void* rgba8) {
  ensure(which, width, height);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba8);
  glBindTexture(GL_TEXTURE_2D, 0);
}

DeviceTexture* ViewTextures::devicePreview(int width, int height) {
  if (deviceOff_) return nullptr;
  if (!deviceTried_) {
    deviceTried_ = true;
    device_ = makeDeviceTexture();
  }
  if (!device_) return nullptr;
  ensure(kPreview, width, height);
  glBindTexture(GL_TEXTURE_2D, 0);
  if (!deviceAttached_) {
    const Status st = device_->attach(tex_[kPreview], width, height);
    if (!st.ok()) {
      dropDevice(st.error().str());
      return nullptr;
    }
    deviceAttached_ = true;
    if (!device_->why().empty()) log::info("3D view: the GPU's frames reach the screen through host memory: " + device_->why());
  }
  return device_.get();
}

void ViewTextures::dropDevice(const std::string& why) {
  if (device_ && deviceAttached_) device_->detach();
  deviceAttached_ = false;
  device_.reset();
  deviceOff_ = true;
  note_ = "3D view: frames uploaded from host memory: " + why;
  log::warn(note_);
}

void ViewTextures::clear() {
  glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

void ViewTextures::draw(Which which, int viewportW, int viewportH) {
  if (tex_[which] == 0 || !blitter_ || !blitter_->isCreated()) return;
  glViewport(0, 0, viewportW, viewportH);
  glDisable(GL_BLEND);
  const QRect all(0, 0, viewportW, viewportH);
  blitter_->bind();
  blitter_->blit(tex_[which], QOpenGLTextureBlitter::targetTransform(all, all), QOpenGLTextureBlitter::OriginTopLeft);
  blitter_->release();
}

}  // namespace cvx::viewer

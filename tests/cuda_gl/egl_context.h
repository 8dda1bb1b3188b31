// SPDX-License-Identifier: MIT
// A headless OpenGL context through EGL for the interop tests: the EGL device platform, on the
// device that CUDA calls 0 (EGL_NV_device_cuda), with a 1x1 pbuffer; the default display when the
// device platform is missing. No window system, no X.
#pragma once
#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <string>

namespace cvx::test {

class EglContext {
 public:
  EglContext() { why_ = open(); }
  ~EglContext() {
    if (display_ == EGL_NO_DISPLAY) return;
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_ != EGL_NO_CONTEXT) eglDestroyContext(display_, context_);
    if (surface_ != EGL_NO_SURFACE) eglDestroySurface(display_, surface_);
    eglTerminate(display_);
  }
  EglContext(const EglContext&) = delete;
  EglContext& operator=(const EglContext&) = delete;
  bool ok() const { return why_.empty(); }
  const std::string& why() const { return why_; }  // why there is no context
  std::string vendor() const { return vendor_; }

 private:
  std::string open() {
    auto queryDevices = reinterpret_cast<PFNEGLQUERYDEVICESEXTPROC>(eglGetProcAddress("eglQueryDevicesEXT"));
    auto queryAttrib = reinterpret_cast<PFNEGLQUERYDEVICEATTRIBEXTPROC>(eglGetProcAddress("eglQueryDeviceAttribEXT"));
    auto platformDisplay =
        reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (queryDevices && platformDisplay) {
      EGLDeviceEXT devices[16];
      EGLint n = 0;
      if (queryDevices(16, devices, &n) && n > 0) {
        EGLDeviceEXT chosen = devices[0];
        for (EGLint i = 0; i < n && queryAttrib; ++i) {
          EGLAttrib cudaDevice = -1;
          if (queryAttrib(devices[i], EGL_CUDA_DEVICE_NV, &cudaDevice) && cudaDevice == 0) chosen = devices[i];
        }
        display_ = platformDisplay(EGL_PLATFORM_DEVICE_EXT, chosen, nullptr);
      }
    }
    if (display_ == EGL_NO_DISPLAY) display_ = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (display_ == EGL_NO_DISPLAY) return "no EGL display";
    EGLint major = 0, minor = 0;
    if (!eglInitialize(display_, &major, &minor)) {
      display_ = EGL_NO_DISPLAY;
      return "eglInitialize failed: " + std::to_string(eglGetError());
    }
    if (!eglBindAPI(EGL_OPENGL_API)) return "eglBindAPI(EGL_OPENGL_API) failed";
    const EGLint want[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_RED_SIZE, 8,
                           EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint configs = 0;
    if (!eglChooseConfig(display_, want, &config, 1, &configs) || configs < 1) return "no EGL config for OpenGL";
    const EGLint size[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
    surface_ = eglCreatePbufferSurface(display_, config, size);
    context_ = eglCreateContext(display_, config, EGL_NO_CONTEXT, nullptr);
    if (surface_ == EGL_NO_SURFACE || context_ == EGL_NO_CONTEXT) return "no EGL pbuffer or context";
    if (!eglMakeCurrent(display_, surface_, surface_, context_)) return "eglMakeCurrent failed";
    if (const char* v = eglQueryString(display_, EGL_VENDOR)) vendor_ = v;
    return {};
  }
  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLSurface surface_ = EGL_NO_SURFACE;
  EGLContext context_ = EGL_NO_CONTEXT;
  std::string why_, vendor_;
};

}  // namespace cvx::test

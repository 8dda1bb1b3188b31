// demo and view: thin wrappers over demo::writeDemoStudy (and writeDemoFollowUp) and viewer::runViewer.
#include <cstdio>
#include <memory>

#include <cvx/demo/demo.h>

#include "commands.h"
#if defined(CVX_HAVE_VIEWER)
#include <cvx/viewer/device_texture.h>
#include <cvx/viewer/viewer.h>
#endif
#if defined(CVX_HAVE_VIEWER) && defined(CVX_HAVE_CUDA_GL)
#include <cvx/cuda/gl_target.h>
#endif

namespace cvx::app {

#if defined(CVX_HAVE_VIEWER) && defined(CVX_HAVE_CUDA_GL)
namespace {
// The 3D view's preview written by CUDA into its OpenGL texture (OpenGL interop: cuda::GlTarget;
// where registration fails, through the host, and why() says so).
class GlTargetTexture final : public viewer::DeviceTexture {
 public:
  Status attach(unsigned texture, int width, int height) override { return target_.attach(texture, width, height); }
  void detach() override { target_.detach(); }
  Status write(const float* deviceRgba) override { return target_.write(deviceRgba); }
  std::string why() const override { return target_.why(); }

 private:
  cuda::GlTarget target_;
};
}  // namespace
#endif

int runDemo(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fputs("usage: cinevox demo OUTDIR\n", stderr);
    return kExitUsage;
  }
  if (auto st = demo::writeDemoStudy(args[0]); !st) return fail(st.error());
  // And the PET of a follow-up study three months on (FOLLOWUP_PET/): PERCIST's response.
  if (auto st = demo::writeDemoFollowUp(args[0]); !st) return fail(st.error());
  std::printf("demo study and its follow-up PET written to %s\n", args[0].c_str());
  return kExitOk;
}

int runView(int argc, char** argv, const std::vector<std::string>& args) {
  std::string path, screenshot, seg;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--screenshot" && i + 1 < args.size()) screenshot = args[++i];
    else if (args[i] == "--seg" && i + 1 < args.size()) seg = args[++i];
    else if (path.empty()) path = args[i];
    else {
      std::fprintf(stderr, "view: unexpected argument %s\n", args[i].c_str());
      return kExitUsage;
    }
  }
#if defined(CVX_HAVE_VIEWER)
#if defined(CVX_HAVE_CUDA_GL)
  viewer::setDeviceTextureFactory([] { return std::make_unique<GlTargetTexture>(); });
#endif
  return viewer::runViewer(argc, argv, path, screenshot, seg);
#else
  (void)argc;
  (void)argv;
  (void)seg;
  std::fputs("error app.no_viewer: this build has no viewer (configured with CVX_WITH_GUI=OFF)\n", stderr);
  return kExitError;
#endif
}

}  // namespace cvx::app

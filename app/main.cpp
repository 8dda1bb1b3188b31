// cinevox: the viewer, and headless subcommands (info, convert, demo, render).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <cvx/render/backend.h>
#if CVX_HAVE_CUDA
#include <cvx/cuda/backend.h>
#endif

#include "commands.h"

namespace {

void usage() {
  std::fputs(
      "usage:\n"
      "  cinevox [view] [PATH] [--screenshot PNG]   open the viewer (on PATH, a DICOM folder or file)\n"
      "  cinevox info PATH [--json] [--load]       list series found and why files were skipped (--load: decode and time them)\n"
      "  cinevox convert PATH [--series UID] --out FILE(.nii.gz|.nii|.nrrd)\n"
      "  cinevox demo OUTDIR                        write the demo study as DICOM files\n"
      "  cinevox render PATH [--series ID] --view axial|coronal|sagittal (--slice N | --mm X)\n"
      "         [--slab MM [--mode mip|minip|mean]] [--wl C,W] [--neurological] [--phase N] --size WxH --out FILE.png\n"
      "                                             draw one slice headless (as the viewer shows it) to a PNG\n"
      "  cinevox render PATH [--series ID] --view 3d --preset NAME [--azimuth A] [--elevation E]\n"
      "         [--projection perspective|parallel] [--zoom Z] [--fuse SERIES [--fuse-preset NAME]]\n"
      "         [--clip X,Y,Z,NX,NY,NZ]... [--phase N]\n"
      "         --size WxH --out FILE.png           draw the 3D view headless (volume rendering) to a PNG\n"
      "  cinevox plugins [--json] [--check]         list the plugins found (--check: load each and report errors)\n"
      "  cinevox segment PATH [--series ID] --plugin ID [--param K=V ...] [--name NAME] --out FILE(.dcm|.nrrd|.nii.gz)\n"
      "                                             run a segmentation plugin headless; .dcm writes a DICOM SEG\n"
      "  cinevox export-mesh SEG.dcm [--series PATH] [--segment N] --out FILE(.stl|.obj)\n"
      "                                             a SEG's segment surfaces (LPS mm): .stl one segment, .obj all\n",
      stderr);
}

// The back ends that draw the 3D view (core/backend.h): the CPU always, CUDA when a usable
// device answers the probe. VolumeRenderer picks the highest (CVX_BACKEND=cpu|cuda overrides).
void registerRenderBackends() {
  cvx::render::registerBackend();
#if CVX_HAVE_CUDA
  cvx::cuda::registerBackend();
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    usage();
    return 0;
  }
  const std::string cmd = args.empty() ? "view" : args[0];
  std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  if (cmd == "info") return cvx::app::runInfo(rest);
  if (cmd == "convert") return cvx::app::runConvert(rest);
  if (cmd == "demo") return cvx::app::runDemo(rest);
  if (cmd == "plugins") return cvx::app::runPlugins(rest);
  if (cmd == "segment") return cvx::app::runSegment(rest);
  if (cmd == "export-mesh") return cvx::app::runExportMesh(rest);
  registerRenderBackends();  // render and the viewer draw the 3D view
  if (cmd == "render") return cvx::app::runRender(rest);
  if (cmd == "view") return cvx::app::runView(argc, argv, rest);
  // A bare path opens the viewer on it.
  return cvx::app::runView(argc, argv, args);
}

// The subcommands of the cinevox executable; each returns a process exit code.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include <cvx/core/error.h>

namespace cvx::app {

int runInfo(const std::vector<std::string>& args);
int runConvert(const std::vector<std::string>& args);
int runDemo(const std::vector<std::string>& args);
// render PATH ... --out FILE.png: one slice drawn headless through the viewer state (app/cmd_render.cpp).
int runRender(const std::vector<std::string>& args);
int runView(int argc, char** argv, const std::vector<std::string>& args);
// plugins [--json] [--check]: the plugins found by their manifests (app/cmd_plugins.cpp).
int runPlugins(const std::vector<std::string>& args);
// segment PATH --plugin ID [--param k=v ...] --out FILE: one plugin run headless (app/cmd_segment.cpp).
int runSegment(const std::vector<std::string>& args);
// export-mesh SEG.dcm [--series PATH] [--segment N] --out FILE.stl|.obj: a SEG's surfaces (app/cmd_export_mesh.cpp).
int runExportMesh(const std::vector<std::string>& args);

// Exit codes: 0 ok, 1 failure (error printed with its code), 2 usage.
constexpr int kExitOk = 0, kExitError = 1, kExitUsage = 2;

// Prints "error CODE: message" to stderr (the one form scripts parse) and returns kExitError.
inline int fail(const Error& e) {
  std::fprintf(stderr, "error %s\n", e.str().c_str());
  return kExitError;
}

inline bool endsWith(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

}  // namespace cvx::app

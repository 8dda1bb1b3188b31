// cinevox plugins [--json] [--check]: the plugins found by their manifests (none is loaded unless
// --check asks), and on stderr every manifest that was rejected, with its code.
#include <cstdio>
#include <string>

#include <cvx/core/plugin/host.h>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace cvx::app {

int runPlugins(const std::vector<std::string>& args) {
  bool json = false, check = false;
  for (const auto& a : args) {
    if (a == "--json") json = true;
    else if (a == "--check") check = true;
    else {
      std::fprintf(stderr, "plugins: unexpected argument %s\nusage: cinevox plugins [--json] [--check]\n", a.c_str());
      return kExitUsage;
    }
  }
  plugin::PluginHost host;
  const std::vector<std::string> path = plugin::defaultSearchPath();
  host.discover(path);
  for (const auto& p : host.problems()) std::fprintf(stderr, "warning %s\n", p.str().c_str());
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();  // keys in the contract's order
    for (const auto& m : host.plugins())
      list.push_back({{"id", m.id}, {"kind", plugin::toString(m.kind)}, {"name", m.name},
                      {"version", m.version}, {"backends", m.backends}});
    std::printf("%s\n", list.dump(2).c_str());
  } else {
    // INPUT: what a segmenter reads besides the series (the manifest's "input": image, segment, seeds).
    // The --json list keeps the contract (id, kind, name, version, backends).
    std::printf("%-24s %-10s %-10s %-10s %-8s %s\n", "ID", "KIND", "VERSION", "BACKENDS", "INPUT", "NAME");
    for (const auto& m : host.plugins()) {
      std::string backends;
      for (const auto& b : m.backends) backends += (backends.empty() ? "" : ",") + b;
      std::printf("%-24s %-10s %-10s %-10s %-8s %s\n", m.id.c_str(), plugin::toString(m.kind), m.version.c_str(),
                  backends.c_str(), plugin::toString(m.input), m.name.c_str());
    }
    if (host.plugins().empty()) {
      std::string where;
      for (const auto& d : path) where += "\n  " + d;
      std::printf("no plugins found in:%s\n", where.empty() ? " (no folder; set CVX_PLUGIN_PATH)" : where.c_str());
    }
  }
  int rc = kExitOk;
  if (check)  // loads each library: API version, entry point, agreement with the manifest
    for (const auto& m : host.plugins())
      if (auto ok = host.load(m.id); !ok) {
        std::fprintf(stderr, "error %s\n", ok.error().str().c_str());
        rc = kExitError;
      }
  return rc;
}

}  // namespace cvx::app

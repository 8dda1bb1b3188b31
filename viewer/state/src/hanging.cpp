// SPDX-License-Identifier: MIT
#include <cvx/viewstate/hanging.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <cvx/viewstate/mapping.h>

namespace cvx::view {

const char* toString(CellKind k) {
  switch (k) {
    case CellKind::Axial: return "axial";
    case CellKind::Coronal: return "coronal";
    case CellKind::Sagittal: return "sagittal";
    case CellKind::ThreeD: return "3d";
  }
  return "?";
}

namespace {

std::optional<CellKind> cellKindFromString(const std::string& s) {
  for (CellKind k : {CellKind::Axial, CellKind::Coronal, CellKind::Sagittal, CellKind::ThreeD})
    if (s == toString(k)) return k;
  return std::nullopt;
}

Layout make(const char* name, int rows, int cols, std::vector<CellKind> kinds) {
  Layout l{name, rows, cols, {}};
  for (CellKind k : kinds) l.cells.push_back({k, {}});
  return l;
}

Diagnostic bad(const char* code, size_t index, const std::string& what) {
  return Diagnostic(code, "hanging protocol " + std::to_string(index + 1) + ": " + what);
}

}  // namespace

const std::vector<Layout>& standardLayouts() {
  using K = CellKind;
  static const std::vector<Layout> layouts = {
      make("1x1", 1, 1, {K::Axial}),
      make("1x2", 1, 2, {K::Axial, K::Coronal}),
      make("2x2", 2, 2, {K::Axial, K::Coronal, K::Sagittal, K::ThreeD}),
      make("1x3", 1, 3, {K::Axial, K::Coronal, K::Sagittal}),
  };
  return layouts;
}

const Layout* findLayout(std::string_view name) {
  for (const auto& l : standardLayouts())
    if (l.name == name) return &l;
  return nullptr;
}

Result<std::vector<HangingProtocol>> parseProtocols(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("protocols") || !j["protocols"].is_array())
    return Diagnostic("protocol.bad_json", "hanging protocols: not JSON with a \"protocols\" array");
  std::vector<HangingProtocol> out;
  const auto& list = j["protocols"];
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& p = list[i];
    if (!p.is_object() || !p.value("name", nlohmann::json()).is_string() || !p.contains("modalities") ||
        !p["modalities"].is_array() || p["modalities"].empty())
      return bad("protocol.bad_json", i, "needs a name and a non-empty modalities array");
    HangingProtocol h;
    h.name = p["name"].get<std::string>();
    for (const auto& m : p["modalities"]) {
      if (!m.is_string()) return bad("protocol.bad_json", i, "modalities must be strings");
      h.modalities.push_back(m.get<std::string>());
    }
    const auto layoutName = p.value("layout", nlohmann::json()).is_string() ? p["layout"].get<std::string>() : "";
    const Layout* grid = findLayout(layoutName);
    if (!grid) return bad("protocol.bad_layout", i, "unknown layout \"" + layoutName + "\" (1x1, 1x2, 2x2, 1x3)");
    h.layout = *grid;
    if (p.contains("cells")) {
      const auto& cells = p["cells"];
      if (!cells.is_array() || cells.size() != grid->cells.size())
        return bad("protocol.bad_layout", i,
                   "layout " + layoutName + " needs " + std::to_string(grid->cells.size()) + " cells");
      for (size_t c = 0; c < cells.size(); ++c) {
        const auto& cell = cells[c];
        const auto kind = cell.is_object() && cell.value("view", nlohmann::json()).is_string()
                              ? cellKindFromString(cell["view"].get<std::string>())
                              : std::nullopt;
        if (!kind) return bad("protocol.bad_layout", i, "cell " + std::to_string(c + 1) + ": unknown view");
        h.layout.cells[c].kind = *kind;
        const auto modality = cell.value("modality", nlohmann::json());
        if (modality.is_string()) h.layout.cells[c].modality = modality.get<std::string>();
      }
    }
    if (p.contains("windowPreset")) {
      if (!p["windowPreset"].is_object()) return bad("protocol.bad_preset", i, "windowPreset must be an object");
      for (const auto& [modality, preset] : p["windowPreset"].items()) {
        if (!preset.is_string() || !findCtPreset(preset.get<std::string>()))
          return bad("protocol.bad_preset", i, "unknown window preset for " + modality);
        h.windowPreset[modality] = preset.get<std::string>();
      }
    }
    out.push_back(std::move(h));
  }
  return out;
}

const HangingProtocol* chooseProtocol(const std::vector<HangingProtocol>& protocols,
                                      const std::vector<std::string>& studyModalities) {
  const HangingProtocol* best = nullptr;
  for (const auto& p : protocols) {
    const bool applies = std::all_of(p.modalities.begin(), p.modalities.end(), [&](const std::string& m) {
      return std::find(studyModalities.begin(), studyModalities.end(), m) != studyModalities.end();
    });
    if (applies && (!best || p.modalities.size() > best->modalities.size())) best = &p;
  }
  return best;
}

}  // namespace cvx::view

// SPDX-License-Identifier: MIT
#include <cvx/viewstate/tf_presets.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "measure_json.h"

namespace cvx::view {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Error badJson(const std::string& what) { return makeError("tf.bad_json", "transfer preset: " + what); }

// The number at j[key], or an error naming the field.
Result<double> number(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_number()) return badJson(where + "\"" + key + "\" must be a number");
  return j[key].get<double>();
}

Result<std::string> text(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string())
    return badJson("\"" + std::string(key) + "\" must be a string");
  return j[key].get<std::string>();
}

Result<TfPoint> point(const json& p, size_t i) {
  const std::string where = "points[" + std::to_string(i) + "].";
  if (!p.is_object()) return badJson("points[" + std::to_string(i) + "] must be an object");
  auto value = number(p, "value", where);
  CVX_TRY(value);
  auto alpha = number(p, "alpha", where);
  CVX_TRY(alpha);
  if (!p.contains("rgb") || !p["rgb"].is_array() || p["rgb"].size() != 3 ||
      !std::all_of(p["rgb"].begin(), p["rgb"].end(), [](const json& c) { return c.is_number(); }))
    return badJson(where + "\"rgb\" must be an array of 3 numbers");
  const json& rgb = p["rgb"];
  return TfPoint{*value, rgb[0].get<float>(), rgb[1].get<float>(), rgb[2].get<float>(),
                 static_cast<float>(*alpha)};
}

Status shading(const json& j, TransferPreset::Shading& s) {
  if (!j.contains("shading") || !j["shading"].is_object()) return badJson("\"shading\" must be an object");
  const json& sh = j["shading"];
  for (auto [key, field] : {std::pair{"ambient", &s.ambient}, std::pair{"diffuse", &s.diffuse},
                            std::pair{"specular", &s.specular}, std::pair{"power", &s.power}}) {
    auto v = number(sh, key, "shading.");
    CVX_TRY(v);
    if (!(*v >= 0) || !std::isfinite(*v)) return badJson("shading.\"" + std::string(key) + "\" must be >= 0");
    *field = *v;
  }
  return {};
}

bool validName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

}  // namespace

Result<TransferPreset> parseTransferPreset(const std::string& source) {
  const json j = json::parse(source, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return badJson("not a JSON object");
  if (!j.contains("version") || !j["version"].is_number_integer())
    return badJson("\"version\" must be an integer");
  if (j["version"].get<long long>() != 1)
    return badJson("version " + std::to_string(j["version"].get<long long>()) + " is not read here (1)");
  TransferPreset p;
  for (auto [key, field] :
       {std::pair{"name", &p.name}, std::pair{"title", &p.title}, std::pair{"modality", &p.modality}}) {
    auto s = text(j, key);
    CVX_TRY(s);
    *field = std::move(s).value();
  }
  auto mode = text(j, "mode");
  CVX_TRY(mode);
  if (*mode != "composite" && *mode != "mip") return badJson("\"mode\" must be \"composite\" or \"mip\"");
  p.mip = *mode == "mip";
  if (j.contains("relative")) {
    if (!j["relative"].is_boolean()) return badJson("\"relative\" must be true or false");
    p.relative = j["relative"].get<bool>();
  }
  if (j.contains("units")) {
    if (!j["units"].is_string() || (j["units"].get<std::string>() != "SUVbw" && !j["units"].get<std::string>().empty()))
      return badJson("\"units\" must be \"SUVbw\" (or absent: the series' modality units)");
    p.units = j["units"].get<std::string>();
    if (p.relative && !p.units.empty()) return badJson("\"units\" and \"relative\" do not go together");
  }
  auto unit = number(j, "unitDistanceMm", "");
  CVX_TRY(unit);
  if (!std::isfinite(*unit) || *unit <= 0)
    return makeError("tf.bad_unit",
                     "transfer preset: unitDistanceMm " + std::to_string(*unit) + " is not > 0");
  p.unitDistanceMm = *unit;
  if (!p.mip || j.contains("shading")) CVX_TRY(shading(j, p.shading));
  if (!j.contains("points") || !j["points"].is_array()) return badJson("\"points\" must be an array");
  const json& pts = j["points"];
  for (size_t i = 0; i < pts.size(); ++i) {
    auto pt = point(pts[i], i);
    CVX_TRY(pt);
    p.points.push_back(*pt);
  }
  CVX_TRY(checkTransferPoints(p.points));
  if (j.contains("gradientOpacity")) {
    const json& g = j["gradientOpacity"];
    if (!g.is_array()) return badJson("\"gradientOpacity\" must be an array");
    for (size_t i = 0; i < g.size(); ++i) {
      const std::string where = "gradientOpacity[" + std::to_string(i) + "].";
      if (!g[i].is_object()) return badJson("gradientOpacity[" + std::to_string(i) + "] must be an object");
      auto magnitude = number(g[i], "magnitude", where);
      CVX_TRY(magnitude);
      auto factor = number(g[i], "factor", where);
      CVX_TRY(factor);
      p.gradientOpacity.push_back({*magnitude, static_cast<float>(*factor)});
    }
    CVX_TRY(checkGradientPoints(p.gradientOpacity));
  }
  return p;
}

std::string transferPresetDir() {
  std::error_code ec;
  if (const char* env = std::getenv("CVX_RESOURCE_DIR"); env && *env)
    return (fs::path(env) / "transfer_functions").string();
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (fs::path d = exe.parent_path(); !d.empty(); d = d.parent_path()) {
    for (const char* sub : {"resources/transfer_functions", "share/cinevox/transfer_functions"})
      if (fs::is_directory(d / sub, ec)) return (d / sub).string();
    if (d == d.root_path()) break;
  }
  return {};
}

std::string userTransferPresetDir() {
  fs::path data;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
    data = x;
  else if (const char* home = std::getenv("HOME"); home && *home)
    data = fs::path(home) / ".local" / "share";
  else
    return {};
  return (data / "CineVox" / "CineVox" / "transfer_functions").string();
}

std::vector<std::string> transferPresetNames() {
  std::vector<std::string> names = transferPresetNames(transferPresetDir());
  const size_t builtIn = names.size();
  for (std::string& n : transferPresetNames(userTransferPresetDir()))
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(builtIn), n) ==
        names.begin() + static_cast<std::ptrdiff_t>(builtIn))
      names.push_back(std::move(n));
  return names;
}

std::vector<std::string> transferPresetNames(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (dir.empty()) return names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& f = it->path();
    if (f.extension() == ".json" && it->is_regular_file(ec) && validName(f.stem().string()))
      names.push_back(f.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<TransferPreset> loadTransferPreset(const std::string& name) {
  const std::string builtIn = transferPresetDir();
  const std::vector<std::string> known = transferPresetNames(builtIn);
  if (std::find(known.begin(), known.end(), name) != known.end()) return loadTransferPreset(name, builtIn);
  const std::string user = userTransferPresetDir();
  const std::vector<std::string> mine = transferPresetNames(user);
  if (std::find(mine.begin(), mine.end(), name) != mine.end()) return loadTransferPreset(name, user);
  return makeError("tf.unknown_preset",
                   "no transfer preset \"" + name + "\" (known: " + joined(transferPresetNames()) + ")", builtIn);
}

std::string transferPresetJson(const TransferPreset& p) {
  json j = {{"version", 1}, {"name", p.name}, {"title", p.title}, {"modality", p.modality},
            {"mode", p.mip ? "mip" : "composite"}};
  if (p.relative) j["relative"] = true;
  if (!p.units.empty()) j["units"] = p.units;
  j["unitDistanceMm"] = p.unitDistanceMm;
  j["shading"] = {{"ambient", p.shading.ambient},
                  {"diffuse", p.shading.diffuse},
                  {"specular", p.shading.specular},
                  {"power", p.shading.power}};
  json points = json::array();
  for (const TfPoint& t : p.points)
    points.push_back({{"value", t.value}, {"rgb", {t.r, t.g, t.b}}, {"alpha", t.alpha}});
  j["points"] = std::move(points);
  if (!p.gradientOpacity.empty()) {
    json g = json::array();
    for (const GradientPoint& q : p.gradientOpacity) g.push_back({{"magnitude", q.magnitude}, {"factor", q.factor}});
    j["gradientOpacity"] = std::move(g);
  }
  return j.dump(2) + "\n";
}

std::string presetNameFromTitle(const std::string& title) {
  std::string name;
  bool gap = false;
  for (char c : title) {
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
      const size_t need = gap && !name.empty() ? 2 : 1;
      if (name.size() + need > 48) break;
      if (need == 2) name += '-';
      name += l;
      gap = false;
    } else {
      gap = true;
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

Result<std::string> saveUserTransferPreset(TransferPreset preset, const std::string& title) {
  return saveUserTransferPreset(std::move(preset), title, userTransferPresetDir());
}

Result<std::string> saveUserTransferPreset(TransferPreset preset, const std::string& title, const std::string& dir) {
  const std::string name = presetNameFromTitle(title);
  if (name.empty()) return makeError("tf.bad_name", "a preset's title needs a letter or a digit: \"" + title + "\"");
  if (dir.empty()) return makeError("tf.bad_name", "no folder for the user's presets (neither XDG_DATA_HOME nor HOME)");
  const std::vector<std::string> builtIn = transferPresetNames(transferPresetDir());
  if (std::find(builtIn.begin(), builtIn.end(), name) != builtIn.end())
    return makeError("tf.name_taken", "\"" + name + "\" is a built-in preset's name: choose another title");
  CVX_TRY(checkTransferPoints(preset.points));
  preset.name = name;
  preset.title = title;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return makeError("io.write_failed", "cannot create the presets' folder: " + ec.message(), dir);
  CVX_TRY(detail::writeFileAtomic((fs::path(dir) / (name + ".json")).string(), transferPresetJson(preset),
                                  "io.write_failed"));
  return name;
}

Result<TransferPreset> loadTransferPreset(const std::string& name, const std::string& dir) {
  const std::vector<std::string> known = transferPresetNames(dir);
  if (!validName(name) || std::find(known.begin(), known.end(), name) == known.end())
    return makeError("tf.unknown_preset",
                     "no transfer preset \"" + name + "\" (known: " + joined(known) + ")", dir);
  const std::string path = (fs::path(dir) / (name + ".json")).string();
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  if (!f) return makeError("io.read_failed", "cannot read the transfer preset", path);
  auto p = parseTransferPreset(s.str());
  if (!p.ok()) return Error{p.error().code, p.error().message, path};
  if (p->name != name)
    return makeError("tf.bad_json", "transfer preset: \"name\" is not the file's name", path);
  return p;
}

Result<TransferPreset> resolveRelative(const TransferPreset& preset, double p1, double p99) {
  if (!preset.relative) return preset;
  if (!std::isfinite(p1) || !std::isfinite(p99) || p99 < p1)
    return makeError("tf.bad_range", "relative transfer preset \"" + preset.name + "\": percentiles [" +
                                         std::to_string(p1) + ", " + std::to_string(p99) +
                                         "] are not a range");
  TransferPreset out = preset;
  out.relative = false;
  for (TfPoint& pt : out.points) pt.value = p1 + pt.value * (p99 - p1);
  for (GradientPoint& g : out.gradientOpacity) g.magnitude *= p99 - p1;
  return out;
}

std::string defaultTransferPreset(const std::string& modality) {
  if (modality == "CT") return "ct-bone";
  if (modality == "MR") return "mr-default";
  if (modality == "PT") return "pet-hot-iron";
  return "mip";
}

}  // namespace cvx::view

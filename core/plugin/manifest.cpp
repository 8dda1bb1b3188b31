// Plugin manifests (JSON, read with nlohmann-json) and the search path (cvx/core/plugin/host.h).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <regex>

#include <cvx/core/plugin/host.h>
#include <nlohmann/json.hpp>

namespace cvx::plugin {
namespace {

using nlohmann::json;

struct Bad {
  std::string message;
};

const json& field(const json& j, const char* key, json::value_t type, const char* what) {
  auto it = j.find(key);
  if (it == j.end()) throw Bad{std::string("missing field '") + key + "'" + what};
  const bool ok = type == json::value_t::number_float ? it->is_number() : it->type() == type ||
                  (type == json::value_t::number_unsigned && it->is_number_integer() && *it >= 0);
  if (!ok) throw Bad{std::string("field '") + key + "'" + what + " has the wrong type"};
  return *it;
}

std::string str(const json& j, const char* key, const char* what = "") {
  return field(j, key, json::value_t::string, what).get<std::string>();
}

std::string optStr(const json& j, const char* key, const char* what = "") {
  return j.contains(key) ? str(j, key, what) : std::string();
}

ParamSpec parseSpec(const json& p) {
  if (!p.is_object()) throw Bad{"a parameter is not an object"};
  ParamSpec s;
  s.name = str(p, "name", " of a parameter");
  static const std::regex kName("[a-z][a-z0-9_]*");
  if (!std::regex_match(s.name, kName)) throw Bad{"parameter name '" + s.name + "' is not [a-z][a-z0-9_]*"};
  const std::string ctx = " of parameter '" + s.name + "'";
  s.label = p.contains("label") ? str(p, "label", ctx.c_str()) : s.name;
  if (!paramTypeFromString(str(p, "type", ctx.c_str()), s.type))
    throw Bad{"unknown type '" + p["type"].get<std::string>() + "'" + ctx};
  s.unit = optStr(p, "unit", ctx.c_str());
  s.description = optStr(p, "description", ctx.c_str());
  if (p.contains("required")) s.required = field(p, "required", json::value_t::boolean, ctx.c_str()).get<bool>();
  if (s.type == ParamType::Enum) {
    for (const auto& v : field(p, "values", json::value_t::array, ctx.c_str())) {
      if (!v.is_string()) throw Bad{"an enum value" + ctx + " is not a string"};
      s.enumValues.push_back(v.get<std::string>());
    }
    if (s.enumValues.empty()) throw Bad{"no enum values" + ctx};
  }
  if (p.contains("min")) {
    s.hasMin = true;
    s.minValue = field(p, "min", json::value_t::number_float, ctx.c_str()).get<double>();
  }
  if (p.contains("max")) {
    s.hasMax = true;
    s.maxValue = field(p, "max", json::value_t::number_float, ctx.c_str()).get<double>();
  }
  if (p.contains("default")) {
    const json& d = p["default"];
    if (s.type == ParamType::Bool && d.is_boolean()) s.defaultValue = d.get<bool>() ? 1 : 0;
    else if (s.type == ParamType::Enum && d.is_string()) {
      const auto it = std::find(s.enumValues.begin(), s.enumValues.end(), d.get<std::string>());
      if (it == s.enumValues.end()) throw Bad{"the default" + ctx + " is not one of its values"};
      s.defaultValue = static_cast<double>(it - s.enumValues.begin());
    } else if ((s.type == ParamType::Int || s.type == ParamType::Float) && d.is_number()) {
      s.defaultValue = d.get<double>();
    } else {
      throw Bad{"the default" + ctx + " does not fit its type"};
    }
  } else if (s.type != ParamType::Seeds && !s.required) {
    throw Bad{"parameter '" + s.name + "' has neither a default nor \"required\": true"};
  }
  return s;
}

}  // namespace

const char* toString(Kind k) { return k == Kind::Segmenter ? "segmenter" : "registrar"; }

const char* toString(PluginInput i) {
  return i == PluginInput::Segment ? "segment" : (i == PluginInput::Seeds ? "seeds" : "image");
}

std::string Manifest::libraryPath() const {
  return (std::filesystem::path(manifestPath).parent_path() / library).string();
}

Result<Manifest> parseManifest(const std::string& text, const std::string& path) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/false);
  if (j.is_discarded()) return makeError("plugin.bad_manifest", "not valid JSON", path);
  Manifest m;
  m.manifestPath = path;
  try {
    if (!j.is_object()) throw Bad{"not a JSON object"};
    m.apiVersion = field(j, "apiVersion", json::value_t::number_unsigned, "").get<uint32_t>();
    m.id = str(j, "id");
    static const std::regex kId("[A-Za-z0-9][A-Za-z0-9_.-]*");
    if (!std::regex_match(m.id, kId)) throw Bad{"id '" + m.id + "' is not [A-Za-z0-9][A-Za-z0-9_.-]*"};
    m.name = str(j, "name");
    m.version = str(j, "version");
    const std::string kind = str(j, "kind");
    if (kind == "segmenter") m.kind = Kind::Segmenter;
    else if (kind == "registrar") m.kind = Kind::Registrar;
    else throw Bad{"unknown kind '" + kind + "' (segmenter, registrar)"};
    for (const auto& b : field(j, "backends", json::value_t::array, "")) {
      if (!b.is_string() || (b != "cpu" && b != "cuda")) throw Bad{"a back end is not \"cpu\" or \"cuda\""};
      m.backends.push_back(b.get<std::string>());
    }
    if (m.backends.empty()) throw Bad{"no back ends"};
    m.library = str(j, "library");
    if (m.library.empty() || m.library.find('/') != std::string::npos || m.library == "." || m.library == "..")
      throw Bad{"library '" + m.library + "' is not a file name beside the manifest"};
    m.description = optStr(j, "description");
    m.resultName = optStr(j, "resultName");
    m.resultType = optStr(j, "resultType");
    static const std::regex kCode("[0-9]{6,18}");  // a SNOMED CT identifier
    if (!m.resultType.empty() && !std::regex_match(m.resultType, kCode))
      throw Bad{"resultType '" + m.resultType + "' is not a SNOMED CT code"};
    if (j.contains("input")) {
      const std::string input = str(j, "input");
      if (input == "image") m.input = PluginInput::Image;
      else if (input == "segment") m.input = PluginInput::Segment;
      else if (input == "seeds") m.input = PluginInput::Seeds;
      else throw Bad{"unknown input '" + input + "' (image, segment, seeds)"};
      if (m.input != PluginInput::Image && m.kind != Kind::Segmenter) throw Bad{"only a segmenter takes a mask input"};
    }
    if (j.contains("replacesInput")) {
      if (!j.at("replacesInput").is_boolean()) throw Bad{"replacesInput is not a boolean"};
      m.replacesInput = j.at("replacesInput").get<bool>();
      if (m.replacesInput && m.input != PluginInput::Segment) throw Bad{"replacesInput needs \"input\": \"segment\""};
    }
    if (j.contains("parameters"))
      for (const auto& p : field(j, "parameters", json::value_t::array, "")) {
        m.params.push_back(parseSpec(p));
        for (size_t i = 0; i + 1 < m.params.size(); ++i)
          if (m.params[i].name == m.params.back().name) throw Bad{"parameter '" + m.params[i].name + "' twice"};
      }
  } catch (const Bad& b) {
    return makeError("plugin.bad_manifest", b.message, path);
  } catch (const std::exception& e) {  // nlohmann's own (e.g. a number out of range)
    return makeError("plugin.bad_manifest", e.what(), path);
  }
  if (m.apiVersion != CVX_PLUGIN_API_VERSION)
    return makeError("plugin.api_mismatch",
                     "manifest of '" + m.id + "' declares API version " + std::to_string(m.apiVersion) +
                         ", this host speaks " + std::to_string(CVX_PLUGIN_API_VERSION),
                     path);
  return m;
}

std::vector<std::string> defaultSearchPath() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    if (p.empty() || !fs::is_directory(p, ec)) return;
    const std::string s = fs::weakly_canonical(p, ec).string();
    for (const auto& o : out)
      if (o == s) return;
    out.push_back(s);
  };
  if (const char* env = std::getenv("CVX_PLUGIN_PATH")) {
    std::string all(env);
    size_t start = 0;
    while (start <= all.size()) {
      const size_t colon = std::min(all.find(':', start), all.size());
      add(all.substr(start, colon - start));
      start = colon + 1;
    }
  }
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    const fs::path exeDir = fs::path(std::string(buf, static_cast<size_t>(n))).parent_path();
    add(exeDir / "plugins");
    add(exeDir / ".." / "plugins");
    add(exeDir / ".." / "lib" / "cinevox" / "plugins");
  }
  return out;
}

}  // namespace cvx::plugin

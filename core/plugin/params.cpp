// Parameter parsing and validation against a plugin's specs (cvx/core/plugin/params.h).
#include <cvx/core/plugin/params.h>

#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace cvx::plugin {
namespace {

Error badParam(const std::string& name, const std::string& message) {
  return makeError("plugin.bad_param", "parameter '" + name + "': " + message, name);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// The whole text as one finite number.
bool parseNumber(const std::string& text, double& out) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v)) return false;
  out = v;
  return true;
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

const char* toString(ParamType t) {
  switch (t) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
    case ParamType::Enum: return "enum";
    case ParamType::Seeds: return "seeds";
  }
  return "?";
}

bool paramTypeFromString(const std::string& s, ParamType& out) {
  for (ParamType t : {ParamType::Int, ParamType::Float, ParamType::Bool, ParamType::Enum, ParamType::Seeds})
    if (s == toString(t)) {
      out = t;
      return true;
    }
  return false;
}

Result<std::pair<std::string, std::string>> parseParamArg(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) return badParam(arg, "expected key=value");
  std::string key = trim(arg.substr(0, eq));
  if (key.empty()) return badParam(arg, "empty key in key=value");
  return std::pair{key, arg.substr(eq + 1)};
}

Status checkParamValue(const ParamSpec& spec, const ParamValue& v) {
  if (v.type != spec.type)
    return badParam(spec.name, std::string("expected ") + toString(spec.type) + ", got " + toString(v.type));
  switch (spec.type) {
    case ParamType::Int:
    case ParamType::Float:
      if (!std::isfinite(v.number)) return badParam(spec.name, "not a finite number");
      if (spec.type == ParamType::Int && v.number != std::floor(v.number))
        return badParam(spec.name, "not a whole number: " + fmt(v.number));
      if (spec.hasMin && v.number < spec.minValue)
        return badParam(spec.name, fmt(v.number) + " is below the minimum " + fmt(spec.minValue));
      if (spec.hasMax && v.number > spec.maxValue)
        return badParam(spec.name, fmt(v.number) + " is above the maximum " + fmt(spec.maxValue));
      break;
    case ParamType::Bool:
      if (v.number != 0.0 && v.number != 1.0) return badParam(spec.name, "a bool is 0 or 1");
      break;
    case ParamType::Enum: {
      const double n = static_cast<double>(spec.enumValues.size());
      if (!(v.number >= 0 && v.number < n) || v.number != std::floor(v.number))
        return badParam(spec.name, "enum index out of range");
      if (v.text != spec.enumValues[static_cast<size_t>(v.number)])
        return badParam(spec.name, "enum text and index disagree");
      break;
    }
    case ParamType::Seeds:
      if (spec.required && v.points.empty()) return badParam(spec.name, "at least one seed point is needed");
      for (const auto& p : v.points)
        for (double c : p)
          if (!std::isfinite(c) || c < 0 || c != std::floor(c))
            return badParam(spec.name, "a seed is a voxel index i,j,k (whole numbers >= 0)");
      break;
  }
  return {};
}

Result<ParamValue> parseParamValue(const ParamSpec& spec, const std::string& text) {
  ParamValue v;
  v.name = spec.name;
  v.type = spec.type;
  const std::string t = trim(text);
  switch (spec.type) {
    case ParamType::Int:
    case ParamType::Float:
      if (!parseNumber(t, v.number))
        return badParam(spec.name, "'" + text + "' is not a " + (spec.type == ParamType::Int ? "whole " : "") + "number");
      break;
    case ParamType::Bool:
      if (t == "true" || t == "1" || t == "yes" || t == "on") v.number = 1;
      else if (t == "false" || t == "0" || t == "no" || t == "off") v.number = 0;
      else return badParam(spec.name, "'" + text + "' is not a bool (true/false)");
      break;
    case ParamType::Enum: {
      size_t i = 0;
      while (i < spec.enumValues.size() && spec.enumValues[i] != t) ++i;
      if (i == spec.enumValues.size()) {
        std::string all;
        for (const auto& e : spec.enumValues) all += (all.empty() ? "" : ", ") + e;
        return badParam(spec.name, "'" + text + "' is not one of: " + all);
      }
      v.number = static_cast<double>(i);
      v.text = t;
      break;
    }
    case ParamType::Seeds: {
      std::stringstream points(t);
      std::string one;
      while (std::getline(points, one, ';')) {
        if (trim(one).empty()) continue;
        std::stringstream coords(one);
        std::string c;
        std::array<double, 3> p{};
        int n = 0;
        while (std::getline(coords, c, ',')) {
          if (n == 3 || !parseNumber(c, p[n])) return badParam(spec.name, "'" + one + "' is not i,j,k");
          ++n;
        }
        if (n != 3) return badParam(spec.name, "'" + one + "' is not i,j,k");
        v.points.push_back(p);
      }
      break;
    }
  }
  if (auto ok = checkParamValue(spec, v); !ok) return ok.error();
  return v;
}

ParamValues defaultParams(const std::vector<ParamSpec>& specs) {
  ParamValues out;
  for (const auto& s : specs) {
    if (s.required) continue;
    ParamValue v;
    v.name = s.name;
    v.type = s.type;
    v.number = s.defaultValue;
    if (s.type == ParamType::Enum && s.defaultValue >= 0 &&
        s.defaultValue < static_cast<double>(s.enumValues.size()))
      v.text = s.enumValues[static_cast<size_t>(s.defaultValue)];
    out.push_back(std::move(v));
  }
  return out;
}

Result<ParamValues> resolveParams(const std::vector<ParamSpec>& specs,
                                  const std::vector<std::pair<std::string, std::string>>& given) {
  std::set<std::string> seen;
  for (const auto& [key, value] : given) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == key;
    if (!known) {
      std::string all;
      for (const auto& s : specs) all += (all.empty() ? "" : ", ") + s.name;
      return badParam(key, "unknown parameter (this plugin takes: " + (all.empty() ? "none" : all) + ")");
    }
    if (!seen.insert(key).second) return badParam(key, "given twice");
  }
  ParamValues out;
  for (const auto& s : specs) {
    const std::string* text = nullptr;
    for (const auto& [key, value] : given)
      if (key == s.name) text = &value;
    if (text) {
      auto v = parseParamValue(s, *text);
      if (!v) return v.error();
      out.push_back(std::move(v.value()));
    } else if (s.required) {
      return badParam(s.name, "required, and not given");
    } else {
      ParamValues d = defaultParams({s});
      if (auto ok = checkParamValue(s, d.front()); !ok) return ok.error();
      out.push_back(std::move(d.front()));
    }
  }
  return out;
}

Result<ParamValues> checkParams(const std::vector<ParamSpec>& specs, const ParamValues& given) {
  std::set<std::string> seen;
  for (const auto& v : given) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == v.name;
    if (!known) return badParam(v.name, "unknown parameter");
    if (!seen.insert(v.name).second) return badParam(v.name, "given twice");
  }
  ParamValues out;
  for (const auto& s : specs) {
    const ParamValue* found = nullptr;
    for (const auto& v : given)
      if (v.name == s.name) found = &v;
    if (found) {
      if (auto ok = checkParamValue(s, *found); !ok) return ok.error();
      out.push_back(*found);
    } else if (s.required) {
      return badParam(s.name, "required, and not given");
    } else {
      out.push_back(defaultParams({s}).front());
    }
  }
  return out;
}

}  // namespace cvx::plugin

// Plugin parameters on the host side: the specs (from a manifest), the values a caller gives, and
// their validation. `--param key=value` is parsed here, so that `cinevox segment`, `cinevox
// plugins` and the form built from the specs share one set of rules. Errors: plugin.bad_param,
// with the parameter's name as the diagnostic's path.
#pragma once
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/plugin/abi.h>

namespace cvx::plugin {

enum class ParamType { Int = CVX_PARAM_INT, Float = CVX_PARAM_FLOAT, Bool = CVX_PARAM_BOOL,
                       Enum = CVX_PARAM_ENUM, Seeds = CVX_PARAM_SEEDS };
const char* toString(ParamType t);                 // "int", "float", "bool", "enum", "seeds"
bool paramTypeFromString(const std::string& s, ParamType& out);

struct ParamSpec {
  std::string name, label;
  ParamType type = ParamType::Float;
  double defaultValue = 0;  // enum: index into enumValues
  bool hasMin = false, hasMax = false, required = false;
  double minValue = 0, maxValue = 0;  // inclusive
  std::string unit;                   // "HU", "mm", "series", ""
  std::vector<std::string> enumValues;
  std::string description;
};

struct ParamValue {
  std::string name;
  ParamType type = ParamType::Float;
  double number = 0;                             // int/float/bool (0, 1)/enum index
  std::string text;                              // enum: the chosen value
  std::vector<std::array<double, 3>> points;     // seeds: voxel indices (i, j, k)
};
using ParamValues = std::vector<ParamValue>;     // in spec order, every spec present

// "key=value" -> {key, value}; plugin.bad_param when there is no '=' or the key is empty.
Result<std::pair<std::string, std::string>> parseParamArg(const std::string& arg);

// Text -> a value of the spec's type, range-checked. Int: a whole number; float: a finite number;
// bool: true/false/1/0/yes/no/on/off; enum: one of the values; seeds: "i,j,k[;i,j,k...]".
Result<ParamValue> parseParamValue(const ParamSpec& spec, const std::string& text);

// Checks one typed value against its spec (type, whole number for int, range, enum index).
Status checkParamValue(const ParamSpec& spec, const ParamValue& value);

// The given key/value texts -> every parameter, in spec order, defaults filled in. Fails on an
// unknown key, a key given twice, a missing required parameter or a bad value.
Result<ParamValues> resolveParams(const std::vector<ParamSpec>& specs,
                                  const std::vector<std::pair<std::string, std::string>>& given);

// Typed values (from a form) -> every parameter, in spec order, defaults filled in; the same
// checks as resolveParams (unknown or repeated name, missing required, type, range).
Result<ParamValues> checkParams(const std::vector<ParamSpec>& specs, const ParamValues& given);

// The defaults (required parameters are left out).
ParamValues defaultParams(const std::vector<ParamSpec>& specs);

}  // namespace cvx::plugin

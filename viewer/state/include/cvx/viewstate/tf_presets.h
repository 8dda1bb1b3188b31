// SPDX-License-Identifier: MIT
// Transfer-function presets for the 3D view: one JSON file per preset in resources/transfer_functions
// (format in docs/rendering.md, "Transfer functions and presets"), parsed into control points that
// cvx::buildTransferTable samples. Qt-free.
#pragma once
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/transfer.h>
#include <cvx/core/transfer2d.h>

namespace cvx::view {

struct TransferPreset {
  std::string name, title, modality;  // modality: "CT", "MR", "PT" or "" (any)
  bool mip = false;                   // "mode": "mip" (maximum intensity projection) rather than "composite"
  bool relative = false;      // point values are fractions of the volume's [p1, p99] (resolveRelative)
  // Optional "units": "SUVbw": point values (and gradient magnitudes) are SUV body weight, for PET
  // in Bq/ml, turned into the series' modality units by its SUVbw factor (suv.h; editablePreset).
  // "" (the default): the series' modality units (HU, ...). Not with relative.
  std::string units;
  double unitDistanceMm = 1;  // the distance the points' alpha is opacity over
  struct Shading {
    double ambient = 0.2, diffuse = 0.7, specular = 0.3, power = 20;
  } shading;                    // Phong coefficients (composite presets)
  std::vector<TfPoint> points;  // by value, as checkTransferPoints wants them
  // Optional "gradientOpacity": [{"magnitude": g, "factor": f}, ...] (g in the points' units per mm;
  // relative presets: fractions of [p1, p99] per mm): opacity times f(|gradient|), a 2D transfer
  // function (cvx::buildGradientTable). Empty: 1D.
  std::vector<GradientPoint> gradientOpacity;
};

// One preset file's text. Errors: tf.bad_json (not JSON, a field missing or of the wrong type, an
// unknown version or mode: the message names the field), tf.bad_unit (unitDistanceMm <= 0),
// tf.bad_points (checkTransferPoints).
Result<TransferPreset> parseTransferPreset(const std::string& json);

// The folder holding the presets: $CVX_RESOURCE_DIR/transfer_functions when that variable is set;
// otherwise, from the executable's folder upwards, the first resources/transfer_functions or
// share/cinevox/transfer_functions (a build tree inside the source tree, an installed tree).
// Empty when there is none.
std::string transferPresetDir();

// The user's own presets (saved from the transfer-function editor): <data>/CineVox/CineVox/
// transfer_functions, <data> being $XDG_DATA_HOME or else $HOME/.local/share (the folder Qt's
// AppDataLocation names for the viewer). Empty when neither variable is set. Never the resources.
std::string userTransferPresetDir();

// The presets in a folder: the names of its *.json files, sorted. Without a folder: the built-in
// presets (transferPresetDir()) and then the user's (userTransferPresetDir()) that do not share a
// built-in's name, each part sorted.
std::vector<std::string> transferPresetNames();
std::vector<std::string> transferPresetNames(const std::string& dir);

// The preset <name>.json of a folder. Without a folder: the built-in preset of that name, else the
// user's. A name is letters, digits, '-' and '_' only. Errors: tf.unknown_preset (a bad name, or no
// such file: the message lists the known names), io.read_failed, the codes of parseTransferPreset,
// and tf.bad_json when the file's "name" is not its file name.
Result<TransferPreset> loadTransferPreset(const std::string& name);
Result<TransferPreset> loadTransferPreset(const std::string& name, const std::string& dir);

// A preset as its file's JSON text (version 1; parseTransferPreset reads back the same preset).
std::string transferPresetJson(const TransferPreset& preset);

// A file name for a preset's title: lower-case letters and digits, every other run of characters
// one '-', none at the ends, at most 48 characters ("My bone (edited)" -> "my-bone-edited"); empty
// when the title has no letter or digit.
std::string presetNameFromTitle(const std::string& title);

// Saves `preset` as the user's preset named after `title` (presetNameFromTitle; the preset's name
// and title are set to them) in `dir` (default userTransferPresetDir()), replacing a user preset of
// that name; written to a temporary file and renamed. Returns the name. Errors: tf.bad_name (a title
// without a letter or digit, or no user folder), tf.name_taken (a built-in preset's name: the
// built-ins are never replaced), tf.bad_points (checkTransferPoints), io.write_failed.
Result<std::string> saveUserTransferPreset(TransferPreset preset, const std::string& title);
Result<std::string> saveUserTransferPreset(TransferPreset preset, const std::string& title, const std::string& dir);

// The preset a 3D view opens with for a series of this modality: CT ct-bone, MR mr-default, PT
// pet-hot-iron, anything else mip.
std::string defaultTransferPreset(const std::string& modality);

// A relative preset made absolute for one volume: each value x becomes p1 + x * (p99 - p1), and
// relative is cleared. A preset that is not relative comes back unchanged. Error: tf.bad_range
// (p1 or p99 not finite, or p99 < p1).
Result<TransferPreset> resolveRelative(const TransferPreset& preset, double p1, double p99);

}  // namespace cvx::view

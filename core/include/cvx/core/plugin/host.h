// The plugin host: discovers plugins by their manifests (never loading a library), loads a
// library with dlopen on first use and checks its API version and its agreement with the
// manifest, and runs segmenters on a worker thread with progress and cancel. Nothing a plugin
// does or throws ends the host; a plugin that crashes the process (a segfault) cannot be
// survived in-process, and the host does not try (docs/segmentation.md, "Plugins").
// Implemented in core/plugin (target cvx::plugin_host: nlohmann-json and libdl, never Qt).
#pragma once
#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <cvx/core/error.h>
#include <cvx/core/plugin/params.h>
#include <cvx/core/progress.h>
#include <cvx/core/volume.h>

namespace cvx::plugin {

enum class Kind { Segmenter, Registrar };
const char* toString(Kind k);  // "segmenter", "registrar"

// What a segmenter reads besides the series (the manifest's "input"; CvxSegmentRequest::mask):
// Image: the series only (the default); Segment: the active segment's mask, 1 inside
// (morphology, islands, fill holes, a level set's initial region); Seeds: a seed label map,
// 0 unlabelled and 1..n the seed classes (the output's labels 1..n say which class a voxel went to).
enum class PluginInput { Image, Segment, Seeds };
const char* toString(PluginInput i);  // "image", "segment", "seeds"

// One manifest: the JSON file beside a plugin's library.
struct Manifest {
  std::string id, name, version;
  Kind kind = Kind::Segmenter;
  uint32_t apiVersion = 0;
  std::vector<std::string> backends;  // "cpu", "cuda"
  std::string library;                // file name, beside the manifest
  std::vector<ParamSpec> params;
  PluginInput input = PluginInput::Image;  // "input"; absent: "image"
  std::string description;
  // What a segmenter's result is called ("resultName", optional: "Lesion" names them "Lesion 1",
  // "Lesion 2"; else the plugin's name) and what it is ("resultType", optional: the SNOMED CT code of
  // its SegmentedPropertyType, "108369006" for a neoplasm; a SEG carries it).
  std::string resultName, resultType;
  // "replacesInput" (optional, false; only with "input": "segment"): the result replaces the input
  // segment's voxels (one undo step: fill between slices) instead of becoming a new segment.
  bool replacesInput = false;
  std::string manifestPath;           // where it was read from
  std::string libraryPath() const;    // the manifest's folder + library
};

// Parses a manifest's text; plugin.bad_manifest (invalid JSON, a missing or mistyped field, an
// unknown kind, type or back end, a library that is not a plain file name) or
// plugin.api_mismatch (an apiVersion other than the host's).
Result<Manifest> parseManifest(const std::string& json, const std::string& path = {});

// Where plugins are looked for, in order: each folder of CVX_PLUGIN_PATH (colon-separated), then
// beside the executable: <exe dir>/plugins, <exe dir>/../plugins (the build tree) and
// <exe dir>/../lib/cinevox/plugins (the install tree). Folders that do not exist are kept out.
std::vector<std::string> defaultSearchPath();

// What a run did besides its labels: the back end that made them, and what the user should be
// told (a CUDA run that fell back to the CPU: plugin.cuda_fallback / plugin.cuda_disabled).
struct RunReport {
  std::string backend;
  std::vector<Diagnostic> warnings;
};

struct RunOptions {
  int phase = 0;               // which phase of a 4D volume
  // "cpu", "cuda", or "auto": CUDA when the plugin has it and the host has not turned CUDA off,
  // else the CPU. A CUDA run that fails with plugin.device_fault (no usable device, a CUDA error)
  // turns CUDA off for this host (a fault may poison the context) and runs again on the CPU when
  // the plugin has a CPU back end; the report says so. Later "cuda" runs go to the CPU directly.
  std::string backend = "cpu";
  RunReport* report = nullptr;  // filled when given; with segmentAsync() the caller keeps it alive
  // The mask of a "segment" or "seeds" plugin: UInt8 on the input's x, y, z dims (phase 0 is
  // read). Required by those plugins (plugin.bad_input without it, or with other dims or another
  // pixel type); an "image" plugin is handed none (ignored). Not owned: with segmentAsync() the
  // caller keeps it alive until the future is ready.
  const Volume* mask = nullptr;
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();  // unloads the libraries; wait for runs started with segmentAsync() first
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Reads every *.json in the folders (sorted by name); loads nothing. The first manifest of an
  // id wins; later ones, and manifests that fail to parse, go to problems().
  void discover(const std::vector<std::string>& folders);

  const std::vector<Manifest>& plugins() const { return manifests_; }
  const std::vector<Diagnostic>& problems() const { return problems_; }
  const Manifest* find(const std::string& id) const;

  bool isLoaded(const std::string& id) const;
  // dlopen + entry + checks; idempotent. plugin.not_found, plugin.library_missing,
  // plugin.load_failed, plugin.no_entry, plugin.api_mismatch, plugin.bad_manifest. A failed
  // load is remembered (the same error comes back without a second dlopen).
  Status load(const std::string& id);

  // Runs a segmenter on the calling thread: loads it if needed, validates params against the
  // specs, hands over one phase, returns uint8 labels on the input's grid (geometry and series
  // info copied). progress may be null. Errors: the load's, plugin.wrong_kind, plugin.bad_param,
  // plugin.bad_input (also: options.mask missing or not on the grid), plugin.bad_backend, and the run's (plugin.failed, plugin.cancelled,
  // plugin.exception, plugin.out_of_memory, plugin.bad_param, plugin.bad_input).
  Result<std::shared_ptr<Volume>> segment(const std::string& id, const Volume& input,
                                          const ParamValues& params, Progress* progress = nullptr,
                                          const RunOptions& options = {});
  // True after a CUDA run failed with plugin.device_fault: CUDA stays off for this host.
  bool cudaDisabled() const { return cudaDisabled_.load(); }

  // The same on a worker thread. input and progress are kept alive by the job.
  std::future<Result<std::shared_ptr<Volume>>> segmentAsync(const std::string& id,
                                                            std::shared_ptr<const Volume> input,
                                                            ParamValues params,
                                                            std::shared_ptr<Progress> progress,
                                                            RunOptions options = {});

 private:
  struct Loaded;
  Result<const CvxPluginApi*> api(const std::string& id);
  Result<std::shared_ptr<Volume>> segmentOn(const std::string& id, const std::string& backend, const Volume& input,
                                            const ParamValues& params, Progress* progress, const RunOptions& options);
  std::atomic<bool> cudaDisabled_{false};
  std::vector<Manifest> manifests_;
  std::vector<Diagnostic> problems_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Loaded>> loaded_;
};

// Maps a CvxStatus to its host code ("plugin.failed", ...).
const char* statusCode(int status);

}  // namespace cvx::plugin

// The plugin host: discovery by manifest, lazy dlopen with checks, guarded runs
// (cvx/core/plugin/host.h).
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cvx/core/plugin/host.h>

namespace cvx::plugin {

struct PluginHost::Loaded {
  std::string id;
  void* handle = nullptr;
  const CvxPluginApi* api = nullptr;
  Status status;
};

namespace {

namespace fs = std::filesystem;

uint32_t backendBits(const std::vector<std::string>& names) {
  uint32_t bits = 0;
  for (const auto& b : names) bits |= b == "cuda" ? CVX_BACKEND_CUDA : CVX_BACKEND_CPU;
  return bits;
}

std::string str(const char* s) { return s ? s : ""; }

// The first way the library's table disagrees with its manifest, or "".
std::string disagreement(const Manifest& m, const CvxPluginApi& a) {
  if (str(a.id) != m.id) return "id '" + str(a.id) + "' in the library, '" + m.id + "' in the manifest";
  const Kind kind = a.kind == CVX_KIND_REGISTRAR ? Kind::Registrar : Kind::Segmenter;
  if ((a.kind != CVX_KIND_SEGMENTER && a.kind != CVX_KIND_REGISTRAR) || kind != m.kind)
    return "kind differs from the manifest's '" + std::string(toString(m.kind)) + "'";
  if (a.backends != backendBits(m.backends)) return "back ends differ from the manifest's";
  if (str(a.version) != m.version)
    return "version '" + str(a.version) + "' in the library, '" + m.version + "' in the manifest";
  if (a.paramCount != m.params.size() || (a.paramCount && !a.params))
    return std::to_string(a.paramCount) + " parameters in the library, " + std::to_string(m.params.size()) +
           " in the manifest";
  for (uint32_t i = 0; i < a.paramCount; ++i) {
    const CvxParamSpec& p = a.params[i];
    const ParamSpec& s = m.params[i];
    const std::string which = "parameter " + std::to_string(i) + " ('" + s.name + "')";
    if (str(p.name) != s.name) return which + " is named '" + str(p.name) + "' in the library";
    if (p.type != static_cast<uint32_t>(s.type)) return which + " has another type in the library";
    if (((p.flags & CVX_PARAM_REQUIRED) != 0) != s.required) return which + ": 'required' differs";
    if (((p.flags & CVX_PARAM_HAS_MIN) != 0) != s.hasMin || (s.hasMin && p.minValue != s.minValue))
      return which + ": the minimum differs";
    if (((p.flags & CVX_PARAM_HAS_MAX) != 0) != s.hasMax || (s.hasMax && p.maxValue != s.maxValue))
      return which + ": the maximum differs";
    if (!s.required && s.type != ParamType::Seeds && p.defaultValue != s.defaultValue)
      return which + ": the default differs";
  }
  if (m.kind == Kind::Segmenter && !a.segment) return "a segmenter without a segment function";
  return {};
}

bool toCvxPixel(PixelType t, uint32_t& out) {
  switch (t) {
    case PixelType::UInt8: out = CVX_PIXEL_UINT8; return true;
    case PixelType::Int16: out = CVX_PIXEL_INT16; return true;
    case PixelType::UInt16: out = CVX_PIXEL_UINT16; return true;
    case PixelType::Float32: out = CVX_PIXEL_FLOAT32; return true;
    default: return false;
  }
}

// Plugin callbacks -> cvx::Progress (a total of 1000 steps). Safe from any thread.
struct Bridge {
  Progress* progress = nullptr;
  std::atomic<int64_t> reported{0};
};

void onProgress(void* user, double fraction) {
  auto* b = static_cast<Bridge*>(user);
  if (!b || !b->progress || !(fraction >= 0)) return;
  const int64_t target = std::llround(std::min(fraction, 1.0) * 1000.0);
  int64_t seen = b->reported.load();
  while (target > seen)
    if (b->reported.compare_exchange_weak(seen, target)) {
      b->progress->add(target - seen);
      break;
    }
}

int onCancelled(void* user) {
  auto* b = static_cast<Bridge*>(user);
  return b && b->progress && b->progress->cancelled() ? 1 : 0;
}

}  // namespace

const char* statusCode(int status) {
  switch (status) {
    case CVX_STATUS_CANCELLED: return "plugin.cancelled";
    case CVX_STATUS_BAD_PARAM: return "plugin.bad_param";
    case CVX_STATUS_BAD_INPUT: return "plugin.bad_input";
    case CVX_STATUS_OUT_OF_MEMORY: return "plugin.out_of_memory";
    case CVX_STATUS_EXCEPTION: return "plugin.exception";
    case CVX_STATUS_DEVICE_FAULT: return "plugin.device_fault";
    default: return "plugin.failed";
  }
}

PluginHost::PluginHost() = default;

PluginHost::~PluginHost() {
  for (auto& l : loaded_)
    if (l->handle) ::dlclose(l->handle);
}

void PluginHost::discover(const std::vector<std::string>& folders) {
  for (const auto& folder : folders) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) {
        problems_.push_back(makeError("plugin.bad_manifest", "cannot read the manifest", f.string()));
        continue;
      }
      auto m = parseManifest(text.str(), f.string());
      if (!m) {
        problems_.push_back(m.error());
      } else if (const Manifest* first = find(m->id)) {
        problems_.push_back(makeError("plugin.duplicate_id",
                                      "id '" + m->id + "' is already taken by " + first->manifestPath +
                                          "; this one is ignored",
                                      f.string()));
      } else {
        manifests_.push_back(std::move(m.value()));
      }
    }
  }
}

const Manifest* PluginHost::find(const std::string& id) const {
  for (const auto& m : manifests_)
    if (m.id == id) return &m;
  return nullptr;
}

bool PluginHost::isLoaded(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& l : loaded_)
    if (l->id == id) return l->handle != nullptr;
  return false;
}

Status PluginHost::load(const std::string& id) {
  auto a = api(id);
  if (!a) return a.error();
  return {};
}

Result<const CvxPluginApi*> PluginHost::api(const std::string& id) {
  std::lock_guard lock(mutex_);
  for (const auto& l : loaded_)
    if (l->id == id) {
      if (!l->status) return l->status.error();
      return l->api;
    }
  const Manifest* m = find(id);
  if (!m) return makeError("plugin.not_found", "no plugin with id '" + id + "'", id);
  auto entry = std::make_unique<Loaded>();
  entry->id = id;
  const std::string lib = m->libraryPath();
  auto fail = [&](const char* code, const std::string& message) -> Error {
    if (entry->handle) ::dlclose(entry->handle);
    entry->handle = nullptr;
    Error e = makeError(code, "plugin '" + id + "': " + message, lib);
    entry->status = e;
    loaded_.push_back(std::move(entry));
    return e;
  };
  std::error_code ec;
  if (!fs::is_regular_file(lib, ec)) return fail("plugin.library_missing", "its library is missing");
  entry->handle = ::dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!entry->handle) return fail("plugin.load_failed", "dlopen failed: " + str(::dlerror()));
  void* sym = ::dlsym(entry->handle, CVX_PLUGIN_ENTRY_SYMBOL);
  if (!sym) return fail("plugin.no_entry", "the library does not export " CVX_PLUGIN_ENTRY_SYMBOL "()");
  const CvxPluginApi* a = nullptr;
  try {
    a = reinterpret_cast<CvxPluginEntryFn>(sym)();
  } catch (const std::exception& e) {
    return fail("plugin.exception", std::string(CVX_PLUGIN_ENTRY_SYMBOL "() threw: ") + e.what());
  } catch (...) {
    return fail("plugin.exception", CVX_PLUGIN_ENTRY_SYMBOL "() threw");
  }
  if (!a) return fail("plugin.no_entry", CVX_PLUGIN_ENTRY_SYMBOL "() returned NULL");
  if (a->apiVersion != CVX_PLUGIN_API_VERSION)
    return fail("plugin.api_mismatch", "the library was built for API version " + std::to_string(a->apiVersion) +
                                           ", this host speaks " + std::to_string(CVX_PLUGIN_API_VERSION));
  if (a->structSize < sizeof(CvxPluginApi))
    return fail("plugin.api_mismatch", "its table is " + std::to_string(a->structSize) + " bytes, API version " +
                                           std::to_string(CVX_PLUGIN_API_VERSION) + " needs " +
                                           std::to_string(sizeof(CvxPluginApi)));
  if (const std::string d = disagreement(*m, *a); !d.empty())
    return fail("plugin.bad_manifest", "the library disagrees with its manifest: " + d);
  entry->api = a;
  loaded_.push_back(std::move(entry));
  return a;
}

Result<std::shared_ptr<Volume>> PluginHost::segment(const std::string& id, const Volume& input,
                                                    const ParamValues& params, Progress* progress,
                                                    const RunOptions& options) {
  const Manifest* m = find(id);
  if (!m) return makeError("plugin.not_found", "no plugin with id '" + id + "'", id);
  const auto has = [m](const char* b) { return std::find(m->backends.begin(), m->backends.end(), b) != m->backends.end(); };
  if (options.backend != "auto" && !has(options.backend.c_str()))
    return makeError("plugin.bad_backend", "plugin '" + id + "' has no '" + options.backend + "' back end", id);
  RunReport scratch;
  RunReport& report = options.report ? *options.report : scratch;
  report = {};
  const bool wantCuda = options.backend == "cuda" || (options.backend == "auto" && has("cuda"));
  std::string backend = wantCuda ? "cuda" : has("cpu") ? "cpu" : "cuda";
  if (backend == "cuda" && cudaDisabled_ && has("cpu")) {
    if (options.backend == "cuda")
      report.warnings.emplace_back("plugin.cuda_disabled",
                                   "CUDA is off after an earlier device fault; '" + id + "' ran on the CPU", id);
    backend = "cpu";
  }
  report.backend = backend;
  auto r = segmentOn(id, backend, input, params, progress, options);
  if (r.ok() || backend != "cuda" || r.error().code != "plugin.device_fault") return r;
  cudaDisabled_ = true;  // a CUDA error may have poisoned the context: no more CUDA in this host
  if (!has("cpu")) return r;
  // "auto" on a machine without a usable device is the expected path to the CPU, not a fault.
  const std::string& why = r.error().message;
  const bool noDevice = why.find("cuda.no_device") != std::string::npos ||
                        why.find("cuda.compute_too_old") != std::string::npos;
  if (options.backend != "auto" || !noDevice)
    report.warnings.emplace_back("plugin.cuda_fallback", "the CUDA back end failed (" + why + "); ran on the CPU instead", id);
  report.backend = "cpu";
  return segmentOn(id, "cpu", input, params, progress, options);
}

Result<std::shared_ptr<Volume>> PluginHost::segmentOn(const std::string& id, const std::string& backend,
                                                      const Volume& input, const ParamValues& params,
                                                      Progress* progress, const RunOptions& options) {
  try {  // the host's own guard: nothing a run throws leaves here
    auto api = this->api(id);
    if (!api) return api.error();
    const Manifest& m = *find(id);
    if (m.kind != Kind::Segmenter)
      return makeError("plugin.wrong_kind", "plugin '" + id + "' is a " + toString(m.kind) + ", not a segmenter", id);
    const auto& d = input.dims();
    CvxSegmentRequest req{};
    req.structSize = sizeof req;
    req.backend = backend == "cuda" ? CVX_BACKEND_CUDA : CVX_BACKEND_CPU;
    if (!toCvxPixel(input.type(), req.input.pixelType))
      return makeError("plugin.bad_input", std::string("pixel type ") + toString(input.type()) +
                                               " cannot be segmented (scalar types only)", id);
    if (options.phase < 0 || options.phase >= d[3] || !input.data())
      return makeError("plugin.bad_input", "phase " + std::to_string(options.phase) + " is not in the volume", id);
    auto checked = checkParams(m.params, params);
    if (!checked) return checked.error();
    for (const auto& v : *checked)
      for (const auto& p : v.points)
        if (p[0] >= d[0] || p[1] >= d[1] || p[2] >= d[2])
          return makeError("plugin.bad_param", "parameter '" + v.name + "': a seed lies outside the volume", v.name);
    const Volume* mask = m.input == PluginInput::Image ? nullptr : options.mask;
    if (m.input != PluginInput::Image) {
      const char* what = m.input == PluginInput::Segment ? "a segment" : "a seed label map";
      if (!mask || !mask->data())
        return makeError("plugin.bad_input", "plugin '" + id + "' needs " + what + " (its input is \"" +
                                                 toString(m.input) + "\")", id);
      const auto& md = mask->dims();
      if (mask->type() != PixelType::UInt8 || md[0] != d[0] || md[1] != d[1] || md[2] != d[2])
        return makeError("plugin.bad_input", std::string("plugin '") + id + "': the mask is " + toString(mask->type()) + " " +
                                                 std::to_string(md[0]) + "x" + std::to_string(md[1]) + "x" +
                                                 std::to_string(md[2]) + ", the input's grid is uint8 " +
                                                 std::to_string(d[0]) + "x" + std::to_string(d[1]) + "x" +
                                                 std::to_string(d[2]), id);
    }
    auto out = Volume::create(PixelType::UInt8, {d[0], d[1], d[2], 1});
    if (!out) return out.error();

    // The C view of everything; the vectors outlive the call.
    std::vector<std::vector<double>> points(checked->size());
    std::vector<CvxParamValue> cparams(checked->size());
    for (size_t i = 0; i < checked->size(); ++i) {
      const ParamValue& v = (*checked)[i];
      for (const auto& p : v.points) points[i].insert(points[i].end(), p.begin(), p.end());
      cparams[i] = {v.name.c_str(), static_cast<uint32_t>(v.type), v.number,
                    v.type == ParamType::Enum ? v.text.c_str() : nullptr,
                    points[i].empty() ? nullptr : points[i].data(), static_cast<uint32_t>(v.points.size())};
    }
    const Geometry& g = input.geometry;
    const Mat4 w = g.worldFromVoxel();
    CvxVolumeView& in = req.input;
    in.structSize = sizeof in;
    in.data = input.data() + static_cast<size_t>(options.phase) * input.voxelsPerPhase() * bytesPerVoxel(input.type());
    for (int k = 0; k < 3; ++k) {
      in.dims[k] = d[k];
      in.spacingMm[k] = g.spacingMm[k];
      for (int c = 0; c < 4; ++c) in.worldFromVoxel[k * 4 + c] = w.m[k][c];
    }
    in.phase = options.phase;
    in.phaseCount = static_cast<int32_t>(d[3]);
    const bool applied = input.info.rescaleApplied;
    in.valueSlope = applied ? 1.0 : input.info.rescaleSlope;
    in.valueIntercept = applied ? 0.0 : input.info.rescaleIntercept;
    in.units = input.info.units.c_str();
    req.params = cparams.data();
    req.paramCount = static_cast<uint32_t>(cparams.size());
    req.output = {sizeof(CvxLabelView), (*out)->as<uint8_t>(), {d[0], d[1], d[2]}};
    // Read-only for the plugin (abi.h); the view type is shared with the output, hence the cast.
    if (mask) req.mask = {sizeof(CvxLabelView), const_cast<uint8_t*>(mask->as<uint8_t>()), {d[0], d[1], d[2]}};
    Bridge bridge;
    bridge.progress = progress;
    if (progress) {
      progress->setTotal(1000);
      if (progress->cancelled()) return makeError("plugin.cancelled", "plugin '" + id + "': cancelled", id);
    }
    req.callbackUser = &bridge;
    req.progress = onProgress;
    req.cancelled = onCancelled;
    char message[2048] = {0};
    req.errorMessage = message;
    req.errorCapacity = sizeof message;

    const int status = (*api)->segment(&req);
    message[sizeof message - 1] = '\0';
    if (status != CVX_STATUS_OK)
      return makeError(statusCode(status),
                       "plugin '" + id + "': " + (message[0] ? std::string(message) : "failed without a message"), id);
    onProgress(&bridge, 1.0);
    (*out)->geometry = input.geometry;
    (*out)->info = input.info;
    return out;
  } catch (const std::exception& e) {
    return makeError("plugin.exception", "plugin '" + id + "' let an exception escape: " + e.what(), id);
  } catch (...) {
    return makeError("plugin.exception", "plugin '" + id + "' let an unknown exception escape", id);
  }
}

std::future<Result<std::shared_ptr<Volume>>> PluginHost::segmentAsync(const std::string& id,
                                                                      std::shared_ptr<const Volume> input,
                                                                      ParamValues params,
                                                                      std::shared_ptr<Progress> progress,
                                                                      RunOptions options) {
  using R = Result<std::shared_ptr<Volume>>;
  try {
    if (!input) throw std::invalid_argument("no input volume");
    return std::async(std::launch::async, [this, id, input = std::move(input), params = std::move(params),
                                           progress = std::move(progress), options = std::move(options)]() -> R {
      return segment(id, *input, params, progress.get(), options);
    });
  } catch (const std::exception& e) {  // no thread could be started, or no input
    std::promise<R> p;
    p.set_value(makeError("plugin.failed", std::string("cannot start the run: ") + e.what(), id));
    return p.get_future();
  }
}

}  // namespace cvx::plugin

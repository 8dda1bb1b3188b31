// SPDX-License-Identifier: MIT
// Back-end registry: probe once, pick by priority, honour CVX_BACKEND, fall back after faults.
#include <cvx/core/backend.h>
#include <cvx/core/log.h>

#include <algorithm>
#include <cstdlib>

namespace cvx {

BackendRegistry& BackendRegistry::global() {
  static BackendRegistry registry;
  return registry;
}

Status BackendRegistry::add(BackendEntry entry) {
  if (entry.name.empty() || !entry.factory) {
    return makeError("backend.invalid", "a back end needs a name and a factory", entry.name);
  }
  std::lock_guard lock(mutex_);
  if (findLocked(entry.name)) {
    return makeError("backend.duplicate", "a back end with this name is already registered", entry.name);
  }
  Slot slot;
  slot.entry = std::move(entry);
  auto pos = std::find_if(slots_.begin(), slots_.end(),
                          [&](const Slot& s) { return s.entry.priority < slot.entry.priority; });
  slots_.insert(pos, std::move(slot));
  return {};
}

BackendRegistry::Slot* BackendRegistry::findLocked(std::string_view name) const {
  for (auto& s : slots_) {
    if (s.entry.name == name) return &s;
  }
  return nullptr;
}

bool BackendRegistry::usableLocked(Slot& slot) const {
  if (slot.unusable) return false;
  if (slot.probed < 0) {
    std::string why;
    const bool ok = !slot.entry.probe || slot.entry.probe(&why);
    slot.probed = ok ? 1 : 0;
    if (!ok) {
      slot.why = why.empty() ? "probe failed" : why;
      log::info("backend '" + slot.entry.name + "' not available: " + slot.why);
    }
  }
  return slot.probed == 1;
}

std::vector<std::string> BackendRegistry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& s : slots_) out.push_back(s.entry.name);
  return out;
}

bool BackendRegistry::has(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return findLocked(name) != nullptr;
}

void BackendRegistry::markUnusable(std::string_view name, std::string reason) {
  std::lock_guard lock(mutex_);
  Slot* slot = findLocked(name);
  if (!slot || slot->unusable) return;
  slot->unusable = true;
  slot->why = std::move(reason);
  log::warn("backend '" + slot->entry.name + "' disabled for this session: " + slot->why);
}

bool BackendRegistry::usable(std::string_view name) const {
  std::lock_guard lock(mutex_);
  Slot* slot = findLocked(name);
  return slot && usableLocked(*slot);
}

Result<std::unique_ptr<Backend>> BackendRegistry::select(std::string_view requested) {
  std::vector<BackendEntry> candidates;  // usable entries in the order to try them
  {
    std::lock_guard lock(mutex_);
    if (!requested.empty()) {
      Slot* slot = findLocked(requested);
      if (!slot) {
        return makeError("backend.unknown", "no back end with this name is registered", std::string(requested));
      }
      if (usableLocked(*slot)) {
        candidates.push_back(slot->entry);
      } else {
        log::warn("requested backend '" + slot->entry.name + "' is not usable (" + slot->why +
                  "); choosing another");
      }
    }
    for (auto& s : slots_) {
      if (s.entry.name != requested && usableLocked(s)) candidates.push_back(s.entry);
    }
  }
  for (const auto& entry : candidates) {
    auto made = entry.factory();
    if (made.ok() && made.value()) {
      log::info("backend: using '" + entry.name + "'" +
                (entry.name == requested ? " (requested)" : " (highest priority available)"));
      return std::move(made.value());
    }
    markUnusable(entry.name, made.ok() ? "factory returned nothing" : made.error().str());
  }
  return makeError("backend.none", "no usable back end", std::string(requested));
}

Result<std::unique_ptr<Backend>> BackendRegistry::selectFromEnvironment() {
  const char* env = std::getenv("CVX_BACKEND");
  return select(env ? std::string_view(env) : std::string_view());
}

Status checkImageRequest(const Volume& v, int64_t phase, int width, int height, const void* out) {
  auto bad = [](std::string m) { return makeError("render.bad_request", std::move(m)); };
  if (!out) return bad("no output buffer");
  if (width <= 0 || height <= 0) return bad("output size " + std::to_string(width) + "x" + std::to_string(height));
  const auto& d = v.dims();
  if (phase < 0 || phase >= d[3]) return bad("phase " + std::to_string(phase) + " of " + std::to_string(d[3]));
  if (!v.data() || d[0] <= 0 || d[1] <= 0 || d[2] <= 0) return bad("empty volume");
  return {};
}

namespace {
// No 2D table, or one with a shape to interpolate over.
bool valid2D(const hd::TransferFunction2D& t) { return !t.nodes || (t.nv >= 2 && t.ng >= 2 && t.hi > t.lo && t.gMax > 0); }
}  // namespace

Status checkFusionRequest(const Volume& second, int64_t phase2, const hd::RaycastParams& p, int width, int height,
                          const void* out) {
  CVX_TRY(checkImageRequest(second, phase2, width, height, out));
  auto bad = [](std::string m) { return makeError("render.bad_request", std::move(m)); };
  const PixelType t = second.type();
  if (t != PixelType::Int16 && t != PixelType::UInt16 && t != PixelType::Float32)
    return bad(std::string("a fused volume of ") + toString(t) + " (int16, uint16 or float32 are)");
  const hd::TransferFunction1D& tf = p.fusion.tf;
  if (!tf.nodes || tf.n < 2 || !(tf.hi > tf.lo)) return bad("the fused volume's transfer function needs 2 nodes over lo < hi");
  if (!valid2D(p.fusion.tf2))
    return bad("the fused volume's 2D transfer function needs 2 x 2 nodes over lo < hi and a gradient range > 0");
  return {};
}

Status checkRaycastRequest(const Volume& v, int64_t phase, const hd::RaycastParams& p,
                           const hd::TransferFunction1D& tf, int width, int height, const void* out) {
  CVX_TRY(checkImageRequest(v, phase, width, height, out));
  auto bad = [](std::string m) { return makeError("render.bad_request", std::move(m)); };
  if (!tf.nodes || tf.n < 2 || !(tf.hi > tf.lo)) return bad("a transfer function needs 2 nodes over lo < hi");
  if (!valid2D(p.tf2)) return bad("a 2D transfer function needs 2 x 2 nodes over lo < hi and a gradient range > 0");
  if (p.depthIn && p.width != width) return bad("depthIn's row length is not the image width");
  if (!(p.stepMm >= hd::kMinStepMm)) return bad("a sample step below 0.001 mm (or not a number)");
  return {};
}

}  // namespace cvx

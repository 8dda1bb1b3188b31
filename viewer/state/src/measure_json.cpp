// SPDX-License-Identifier: MIT
#include "measure_json.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace cvx::view::detail {
namespace {

constexpr int kEntryVersion = 1;

Json vec(Vec3 p) { return Json::array({p.x, p.y, p.z}); }
Json num(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

bool readVec(const Json& j, Vec3& out) {
  if (!j.is_array() || j.size() != 3) return false;
  for (int i = 0; i < 3; ++i) {
    if (!j[static_cast<size_t>(i)].is_number()) return false;
    out[i] = j[static_cast<size_t>(i)].get<double>();
  }
  return true;
}

Error bad(const std::string& field) { return makeError("measure.bad_json", "missing or invalid '" + field + "'"); }

const char* opName(MeasureOp op) {
  switch (op) {
    case MeasureOp::Do: return "do";
    case MeasureOp::Undo: return "undo";
    case MeasureOp::Redo: return "redo";
  }
  return "?";
}

Result<std::optional<Measurement>> optionalMeasurement(const Json& j, const char* field) {
  if (!j.contains(field)) return bad(field);
  if (j[field].is_null()) return std::optional<Measurement>{};
  auto m = measurementFromJson(j[field]);
  if (!m) return m.error();
  return std::optional<Measurement>{std::move(*m)};
}

}  // namespace

Json toJson(const Measurement& m) {
  Json points = Json::array();
  for (const Vec3& p : m.points) points.push_back(vec(p));
  return {{"id", m.id},
          {"kind", toString(m.kind)},
          {"layer", m.layer},
          {"seriesUid", m.seriesUid},
          {"phase", m.phase},
          {"plane", {{"center", vec(m.plane.center)}, {"right", vec(m.plane.right)}, {"down", vec(m.plane.down)}}},
          {"points", points},
          {"label", m.label}};
}

Result<Measurement> measurementFromJson(const Json& j) {
  Measurement m;
  if (!j.is_object()) return bad("measurement");
  if (!j.contains("id") || !j["id"].is_number_integer()) return bad("id");
  m.id = j["id"].get<int64_t>();
  if (m.id <= 0) return bad("id");
  if (!j.contains("kind") || !j["kind"].is_string()) return bad("kind");
  const auto kind = measureKindFromString(j["kind"].get<std::string>());
  if (!kind) return bad("kind");
  m.kind = *kind;
  if (!j.contains("layer") || !j["layer"].is_number_integer()) return bad("layer");
  m.layer = j["layer"].get<int>();
  if (!j.contains("phase") || !j["phase"].is_number_integer()) return bad("phase");
  m.phase = j["phase"].get<int>();
  if (!j.contains("seriesUid") || !j["seriesUid"].is_string()) return bad("seriesUid");
  m.seriesUid = j["seriesUid"].get<std::string>();
  if (!j.contains("label") || !j["label"].is_string()) return bad("label");
  m.label = j["label"].get<std::string>();
  if (!j.contains("plane") || !j["plane"].is_object()) return bad("plane");
  const Json& pl = j["plane"];
  if (!pl.contains("center") || !readVec(pl["center"], m.plane.center)) return bad("plane.center");
  if (!pl.contains("right") || !readVec(pl["right"], m.plane.right)) return bad("plane.right");
  if (!pl.contains("down") || !readVec(pl["down"], m.plane.down)) return bad("plane.down");
  if (!j.contains("points") || !j["points"].is_array()) return bad("points");
  for (const Json& p : j["points"]) {
    Vec3 v;
    if (!readVec(p, v)) return bad("points");
    m.points.push_back(v);
  }
  CVX_TRY(validate(m));
  return m;
}

Json toJson(const MeasureJournalEntry& e) {
  return {{"v", kEntryVersion},
          {"op", opName(e.op)},
          {"id", e.edit.id},
          {"before", e.edit.before ? toJson(*e.edit.before) : Json(nullptr)},
          {"after", e.edit.after ? toJson(*e.edit.after) : Json(nullptr)}};
}

Result<MeasureJournalEntry> journalEntryFromJson(const Json& j) {
  if (!j.is_object()) return bad("entry");
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<int>() != kEntryVersion) return bad("v");
  MeasureJournalEntry e;
  if (!j.contains("op") || !j["op"].is_string()) return bad("op");
  const std::string op = j["op"].get<std::string>();
  if (op == "do") e.op = MeasureOp::Do;
  else if (op == "undo") e.op = MeasureOp::Undo;
  else if (op == "redo") e.op = MeasureOp::Redo;
  else return bad("op");
  if (!j.contains("id") || !j["id"].is_number_integer()) return bad("id");
  e.edit.id = j["id"].get<int64_t>();
  auto before = optionalMeasurement(j, "before");
  if (!before) return before.error();
  auto after = optionalMeasurement(j, "after");
  if (!after) return after.error();
  e.edit.before = std::move(*before);
  e.edit.after = std::move(*after);
  if (e.edit.after && e.edit.after->id != e.edit.id) return bad("after.id");
  if (e.edit.before && e.edit.before->id != e.edit.id) return bad("before.id");
  return e;
}

Json toJson(const RoiStats& s) {
  return {{"count", s.count}, {"mean", num(s.mean)}, {"sd", num(s.sd)}, {"min", num(s.min)}, {"max", num(s.max)}};
}

Json toJson(const MeasureResult& r) {
  Json j = {{"value", num(r.value)}, {"unit", r.unit}, {"inPixels", r.inPixels}};
  if (r.stats) {
    j["stats"] = toJson(*r.stats);
    j["statsUnit"] = r.statsUnit;
  }
  if (r.suv) j["suv"] = toJson(*r.suv);
  if (!r.suvError.empty()) j["suvError"] = r.suvError;
  if (r.sul) j["sul"] = toJson(*r.sul);
  if (!r.sulError.empty()) j["sulError"] = r.sulError;
  return j;
}

Status writeFileAtomic(const std::string& path, const std::string& data, const std::string& code) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return makeError(code, std::strerror(errno), path);
  size_t done = 0;
  bool ok = true;
  while (ok && done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;  // the data is on disk before the name points at it
  int err = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) ok = false, err = errno;
  if (!ok) {
    std::remove(tmp.c_str());
    return makeError(code, std::strerror(err ? err : EIO), path);
  }
  return {};
}

}  // namespace cvx::view::detail

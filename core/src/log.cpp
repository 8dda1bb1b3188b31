#include <cvx/core/error.h>
#include <cvx/core/log.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace cvx::log {
namespace {
std::mutex& sinkMutex() {
  static std::mutex m;
  return m;
}
Sink& sinkRef() {
  static Sink s;
  return s;
}
Level initialLevel() {
  const char* env = std::getenv("CVX_LOG");
  if (!env) return Level::Warn;
  const std::string v(env);
  if (v == "debug") return Level::Debug;
  if (v == "info") return Level::Info;
  if (v == "error") return Level::Error;
  if (v == "off") return Level::Off;
  return Level::Warn;
}
std::atomic<int>& levelRef() {
  static std::atomic<int> l{static_cast<int>(initialLevel())};
  return l;
}
const char* name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
    case Level::Off: return "off";
  }
  return "?";
}
}  // namespace

void setLevel(Level level) { levelRef().store(static_cast<int>(level)); }
Level level() { return static_cast<Level>(levelRef().load()); }
void setSink(Sink sink) {
  std::lock_guard lock(sinkMutex());
  sinkRef() = std::move(sink);
}
void write(Level lvl, std::string_view message) {
  if (static_cast<int>(lvl) < levelRef().load()) return;
  std::lock_guard lock(sinkMutex());
  if (sinkRef()) {
    sinkRef()(lvl, message);
  } else {
    std::fprintf(stderr, "[cvx %s] %.*s\n", name(lvl), static_cast<int>(message.size()), message.data());
  }
}
}  // namespace cvx::log

namespace cvx::detail {
void logCheckFailure(const char* file, int line, const char* cond) {
  log::error(std::string("check failed: ") + cond + " at " + file + ":" + std::to_string(line));
}
}  // namespace cvx::detail

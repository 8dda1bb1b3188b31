// Minimal leveled logging with a replaceable sink (thread-safe).
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace cvx::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

using Sink = std::function<void(Level, std::string_view)>;

void setLevel(Level level);
Level level();
// Replaces the sink (default: stderr). Pass nullptr to restore the default.
void setSink(Sink sink);
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

}  // namespace cvx::log

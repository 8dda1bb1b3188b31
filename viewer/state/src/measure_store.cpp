// SPDX-License-Identifier: MIT
#include <cvx/viewstate/measure_store.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "measure_json.h"

namespace cvx::view {
namespace {

namespace fs = std::filesystem;
using detail::Json;

constexpr const char* kFormat = "cinevox.measurements";
constexpr size_t kMaxKey = 128;
constexpr size_t kListedLines = 10;  // line numbers named in a warning

bool validKey(const std::string& k) {
  if (k.empty() || k.size() > kMaxKey || k == "." || k == "..") return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError("measure.write_failed", "cannot read", path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Error systemError(const std::string& what, const std::string& path) {
  return makeError("measure.write_failed", what + ": " + std::strerror(errno), path);
}

// The upgrade chain of the snapshot format (version N -> N + 1, step by step); 1 is the first.
Status migrate(Json& j, const std::string& path) {
  const int v = j["version"].get<int>();
  if (v > kMeasurementsVersion)
    return makeError("measure.unsupported_version",
                     "version " + std::to_string(v) + " is newer than this CineVox reads (" +
                         std::to_string(kMeasurementsVersion) + "); the file is left as it is",
                     path);
  return {};  // no older versions yet: a version 1 -> 2 step goes here when version 2 comes
}

}  // namespace

Result<std::unique_ptr<MeasureSession>> MeasureSession::open(const std::string& folder, const std::string& key) {
  if (!validKey(key))
    return makeError("measure.bad_key", "a session key is 1 to 128 characters of A-Z a-z 0-9 . _ -", key);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder, ec))
    return makeError("measure.write_failed", "cannot create the folder: " + ec.message(), folder);
  std::unique_ptr<MeasureSession> s(new MeasureSession());
  s->key_ = key;
  s->snapshot_ = (fs::path(folder) / (key + ".measurements.json")).string();
  s->journal_ = (fs::path(folder) / (key + ".measurements.journal")).string();
  s->fd_ = ::open(s->journal_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (s->fd_ < 0) return systemError("cannot open the journal", s->journal_);
  if (::flock(s->fd_, LOCK_EX | LOCK_NB) != 0)
    return makeError("measure.in_use", "another session has these measurements open", s->journal_);
  CVX_TRY(s->loadSnapshot());
  bool hadEntries = false;
  CVX_TRY(s->replayJournal(hadEntries));
  if (hadEntries) CVX_TRY(s->save());
  MeasureSession* self = s.get();
  s->set_.setJournal([self](const MeasureJournalEntry& e) { return self->append(e); });
  return s;
}

MeasureSession::~MeasureSession() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Status MeasureSession::loadSnapshot() {
  std::error_code ec;
  if (!fs::exists(snapshot_, ec)) return {};
  auto text = readFile(snapshot_);
  if (!text) return text.error();
  Json j = Json::parse(*text, nullptr, false);
  const bool shaped = !j.is_discarded() && j.is_object() && j.value("format", "") == kFormat &&
                      j.contains("version") && j["version"].is_number_integer() && j.contains("measurements") &&
                      j["measurements"].is_array();
  if (!shaped) {
    // Kept beside, never overwritten by the next save: the user's measurements may still be in it.
    const std::string aside = snapshot_ + ".corrupt";
    if (std::rename(snapshot_.c_str(), aside.c_str()) != 0) return systemError("cannot move aside", snapshot_);
    warnings_.push_back({"measure.snapshot_corrupt",
                         "the measurements file does not parse; kept as " + aside + ", starting from the journal",
                         snapshot_});
    return {};
  }
  CVX_TRY(migrate(j, snapshot_));
  std::map<int64_t, Measurement> items;
  size_t skipped = 0;
  std::string firstWhy;
  for (const Json& e : j["measurements"]) {
    auto m = detail::measurementFromJson(e);
    if (m && !items.count(m->id)) {
      items[m->id] = std::move(*m);
    } else {
      if (skipped++ == 0) firstWhy = m ? "a repeated id" : m.error().message;
    }
  }
  if (skipped > 0)
    warnings_.push_back({"measure.snapshot_corrupt",
                         std::to_string(skipped) + " measurement(s) skipped (first: " + firstWhy + ")", snapshot_});
  const int64_t next = j.contains("nextId") && j["nextId"].is_number_integer() ? j["nextId"].get<int64_t>() : 1;
  set_.reset(std::move(items), next);
  return {};
}

Status MeasureSession::replayJournal(bool& hadEntries) {
  auto text = readFile(journal_);
  if (!text) return text.error();
  std::istringstream in(*text);
  std::string line, lines, firstWhy;
  size_t number = 0, bad = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    hadEntries = true;
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("v") && j["v"].is_number_integer() && j["v"].get<int64_t>() > kMeasurementsVersion)
      return makeError("measure.unsupported_version",
                       "journal line " + std::to_string(number) + " comes from a newer CineVox; the files are left as they are",
                       journal_);
    auto e = j.is_discarded() ? Result<MeasureJournalEntry>(makeError("measure.bad_json", "not JSON"))
                              : detail::journalEntryFromJson(j);
    if (e) {
      set_.replay(*e);
      continue;
    }
    if (bad++ == 0) firstWhy = e.error().message;
    if (bad <= kListedLines) lines += (lines.empty() ? "" : ", ") + std::to_string(number);
  }
  if (bad > 0)
    warnings_.push_back({"measure.journal_corrupt",
                         std::to_string(bad) + " of " + std::to_string(number) + " journal line(s) skipped (line " +
                             lines + (bad > kListedLines ? ", ..." : "") + "; first: " + firstWhy +
                             "); the others are kept",
                         journal_});
  return {};
}

Status MeasureSession::append(const MeasureJournalEntry& e) {
  const std::string line = detail::toJson(e).dump() + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return systemError("cannot write the journal (the change was not made)", journal_);
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) return systemError("cannot flush the journal (the change was not made)", journal_);
  return {};
}

Status MeasureSession::save() {
  Json list = Json::array();
  for (const auto& [id, m] : set_.all()) list.push_back(detail::toJson(m));
  const Json j = {{"format", kFormat},
                  {"version", kMeasurementsVersion},
                  {"key", key_},
                  {"nextId", set_.nextId()},
                  {"measurements", list}};
  CVX_TRY(detail::writeFileAtomic(snapshot_, j.dump(1) + "\n", "measure.write_failed"));
  // The snapshot holds every journaled change now; a crash before this truncation replays them
  // onto it again, which changes nothing.
  if (::ftruncate(fd_, 0) != 0 || ::fsync(fd_) != 0) return systemError("cannot empty the journal", journal_);
  return {};
}

}  // namespace cvx::view

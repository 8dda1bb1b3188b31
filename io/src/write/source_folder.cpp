// SPDX-License-Identifier: MIT
#include <cvx/io/source_folder.h>

#include <filesystem>
#include <set>
#include <system_error>

namespace cvx::io {

namespace fs = std::filesystem;

namespace {
// A folder made canonical, without the trailing separator weakly_canonical leaves where a part that
// is not there yet is normalised away ("a/new/.." is "a/"); empty when it cannot be made canonical.
fs::path canonicalFolder(const fs::path& dir) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(dir.empty() ? fs::path(".") : dir, ec);
  if (ec) return {};
  if (!c.has_filename() && c.has_parent_path() && c != c.root_path()) c = c.parent_path();
  return c;
}
}  // namespace

bool inSourceFolder(const Volume& source, const std::string& path) {
  if (source.sources.empty()) return false;
  const fs::path target = canonicalFolder(fs::path(path).parent_path());
  if (target.empty()) return false;
  std::set<std::string> seen;  // a series' files share a folder or a few: each is made canonical once
  for (const SliceSource& s : source.sources) {
    if (s.file.empty()) continue;
    const fs::path parent = fs::path(s.file).parent_path();
    if (!seen.insert(parent.string()).second) continue;
    if (canonicalFolder(parent) == target) return true;
  }
  return false;
}

Status refuseSourceFolder(const Volume& source, const std::string& path) {
  if (inSourceFolder(source, path))
    return makeError("io.into_source", "will not write into the folder the series was read from: choose another",
                     path);
  return {};
}

}  // namespace cvx::io

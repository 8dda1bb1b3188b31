// The one temporary folder for tests: a fresh folder under the system temp dir, removed (with
// everything in it) when the object goes out of scope.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace cvx::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "cvx_test") {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string tmpl = (base / (prefix + "_XXXXXX")).string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace cvx::test

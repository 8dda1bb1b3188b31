// scan(): a file, a folder (recursive) or a DICOMDIR; headers read in parallel.
#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_set>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <cvx/core/log.h>
#include <cvx/core/thread_pool.h>

#include <cvx/io/dicom.h>

#include "dicom/dcm_util.h"
#include "scan/duplicates.h"

namespace fs = std::filesystem;

namespace cvx::io {
namespace {

// Resolves a DICOMDIR ReferencedFileID (components separated by '\') below base.
std::string resolveFileId(const fs::path& base, const std::string& id) {
  fs::path p = base;
  size_t start = 0;
  while (start <= id.size()) {
    const size_t end = id.find('\\', start);
    p /= id.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return p.string();
}

// Files listed by a DICOMDIR; nullopt if it cannot be read.
std::optional<std::vector<std::string>> readDicomdir(const fs::path& dicomdir) try {
  DcmFileFormat ff;
  if (ff.loadFile(dicomdir.c_str()).bad()) return std::nullopt;
  DcmSequenceOfItems* seq = nullptr;
  if (ff.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, seq).bad() || !seq) return std::nullopt;
  std::vector<std::string> files;
  for (unsigned long i = 0; i < seq->card(); ++i) {
    const std::string id = dcm::str(*seq->getItem(i), DCM_ReferencedFileID);
    if (!id.empty()) files.push_back(resolveFileId(dicomdir.parent_path(), id));
  }
  return files;
} catch (...) {
  return std::nullopt;  // a DICOMDIR DCMTK cannot read: scan the folder instead
}

bool isDicomdirName(const fs::path& p) { return p.filename() == "DICOMDIR"; }

std::vector<std::string> walk(const fs::path& root, bool recursive) {
  std::vector<std::string> files;
  std::error_code ec;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) files.push_back(it->path().string());
    }
  } else {
    for (auto it = fs::directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Chooses the files to read: the DICOMDIR's entries if all exist, else a plain walk.
// Every std::filesystem call below takes an error_code: a symlink loop (ELOOP), a file removed
// while scanning or a denied folder is "not a file" here, never an exception.
bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool isFolder(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::vector<std::string> listFiles(const fs::path& root, const ScanOptions& opt, ScanResult& out) {
  fs::path dicomdir;
  if (isFile(root) && isDicomdirName(root)) dicomdir = root;
  else if (isFolder(root) && isFile(root / "DICOMDIR")) dicomdir = root / "DICOMDIR";
  if (!dicomdir.empty()) {
    if (auto listed = readDicomdir(dicomdir)) {
      const auto missing = std::count_if(listed->begin(), listed->end(),
                                         [](const std::string& f) { return !isFile(f); });
      if (missing == 0 && !listed->empty()) return *listed;
      out.warnings.push_back({"dicomdir.missing_entries",
                              std::to_string(missing) + " of " + std::to_string(listed->size()) +
                                  " DICOMDIR entries point to no file; scanning the folder instead",
                              dicomdir.string()});
    } else {
      out.warnings.push_back({"dicomdir.unreadable", "DICOMDIR could not be read; scanning the folder instead",
                              dicomdir.string()});
    }
    auto files = walk(dicomdir.parent_path(), opt.recursive);
    files.erase(std::remove(files.begin(), files.end(), dicomdir.string()), files.end());
    return files;
  }
  if (isFile(root)) return {root.string()};
  return walk(root, opt.recursive);
}

}  // namespace

Result<ScanResult> scan(const std::string& path, const ScanOptions& options, Progress* progress) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return makeError("io.not_found", "path does not exist", path);
  ScanResult out;
  const auto files = listFiles(fs::path(path), options, out);
  if (progress) progress->setTotal(static_cast<int64_t>(files.size()));
  std::vector<std::optional<Result<FileHeader>>> headers(files.size());
  std::unique_ptr<ThreadPool> own;
  if (options.threads) own = std::make_unique<ThreadPool>(options.threads);
  ThreadPool& pool = own ? *own : ThreadPool::global();
  const Status run = pool.parallelFor(static_cast<int64_t>(files.size()), [&](int64_t i) {
    if (progress && progress->cancelled()) return;
    headers[static_cast<size_t>(i)].emplace(readHeader(files[static_cast<size_t>(i)]));
    if (progress) progress->add();
  });
  if (progress && progress->cancelled()) return makeError("io.cancelled", "scan cancelled", path);
  detail::DuplicateFilter duplicates;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!headers[i]) {  // not read: a task threw (reported by the pool), so this file is skipped with its error
      out.skipped.push_back({run ? "thread.task_failed" : run.error().code,
                             run ? "not read" : run.error().message, files[i]});
      continue;
    }
    auto& r = *headers[i];
    if (!r.ok()) {
      out.skipped.push_back({r.error().code, r.error().message, files[i]});
      continue;
    }
    duplicates.add(std::move(r.value()), out);
  }
  return out;
}

}  // namespace cvx::io

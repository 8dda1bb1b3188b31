// Private: files that share a SOPInstanceUID. Only true duplicates are dropped; a file whose
// content differs (see scan_duplicates.cpp) is kept, with a warning.
#pragma once
#include <memory>

#include <cvx/io/dicom.h>

namespace cvx::io::detail {

class DuplicateFilter {
 public:
  DuplicateFilter();
  ~DuplicateFilter();
  // Adds h to out.files, or to out.skipped as dicom.duplicate_sop when an earlier kept file with
  // the same SOPInstanceUID holds the same image; a differing one is kept and warned about
  // (dicom.duplicate_sop_differs) in out.warnings.
  void add(FileHeader h, ScanResult& out);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace cvx::io::detail

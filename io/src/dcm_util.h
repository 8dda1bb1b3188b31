// Small DCMTK helpers shared by the io stages (private to io).
#pragma once
#include <array>
#include <optional>
#include <string>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <cvx/core/geometry.h>

namespace cvx::io::dcm {

// Once per process: quiet DCMTK's own logger (errors come back as values).
void initDcmtk();

// Trimmed string value (all values, backslash-separated) or "" when absent.
std::string str(DcmItem& item, const DcmTagKey& tag);
std::optional<double> num(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0);
// First item of a sequence inside item, or nullptr.
DcmItem* firstItem(DcmItem& item, const DcmTagKey& seq);

// The attribute accessor of scan_fill.h over a DCMTK item.
struct DcmAccess {
  DcmItem* it = nullptr;
  std::string str(const DcmTagKey& tag) const { return it ? dcm::str(*it, tag) : std::string(); }
  std::optional<double> num(const DcmTagKey& tag, unsigned long pos = 0) const {
    return it ? dcm::num(*it, tag, pos) : std::nullopt;
  }
  std::optional<DcmAccess> item(const DcmTagKey& seq) const;
};

}  // namespace cvx::io::dcm

#include "dicom/dcm_util.h"

#include "dicom/number.h"

#include <cmath>
#include <cstdlib>

#include <mutex>

#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/oflog/oflog.h>

namespace cvx::io::dcm {

void initDcmtk() {
  static std::once_flag once;
  std::call_once(once, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
}

std::string str(DcmItem& item, const DcmTagKey& tag) {
  OFString v;
  if (item.findAndGetOFStringArray(tag, v, OFFalse).bad()) return {};
  std::string s(v.c_str());
  const auto b = s.find_first_not_of(" \0", 0, 2);
  const auto e = s.find_last_not_of(" \0", std::string::npos, 2);
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<double> num(DcmItem& item, const DcmTagKey& tag, unsigned long pos) {
  DcmElement* el = nullptr;
  if (item.findAndGetElement(tag, el, OFFalse).bad() || !el) return std::nullopt;
  double out = 0;
  switch (el->ident()) {
    case EVR_US: { Uint16 v; if (el->getUint16(v, pos).bad()) return std::nullopt; out = v; break; }
    case EVR_SS: { Sint16 v; if (el->getSint16(v, pos).bad()) return std::nullopt; out = v; break; }
    case EVR_UL: { Uint32 v; if (el->getUint32(v, pos).bad()) return std::nullopt; out = v; break; }
    case EVR_SL: { Sint32 v; if (el->getSint32(v, pos).bad()) return std::nullopt; out = v; break; }
    case EVR_FL: { Float32 v; if (el->getFloat32(v, pos).bad()) return std::nullopt; out = v; break; }
    default: {
      // DS, IS and (for broken files) other string VRs: parse the pos-th value.
      OFString sv;
      if (el->getOFString(sv, pos).bad() || sv.empty()) {
        Float64 v = 0;
        if (el->getFloat64(v, pos).bad()) return std::nullopt;
        out = v;
        break;
      }
      const auto v = detail::parseNumber(std::string_view(sv.c_str(), sv.length()));
      if (!v) return std::nullopt;
      out = *v;
    }
  }
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

DcmItem* firstItem(DcmItem& item, const DcmTagKey& seq) {
  DcmItem* out = nullptr;
  if (item.findAndGetSequenceItem(seq, out, 0, OFFalse).bad()) return nullptr;
  return out;
}

std::optional<DcmAccess> DcmAccess::item(const DcmTagKey& seq) const {
  if (!it) return std::nullopt;
  DcmItem* f = firstItem(*it, seq);
  if (!f) return std::nullopt;
  return DcmAccess{f};
}

}  // namespace cvx::io::dcm

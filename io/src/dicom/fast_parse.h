// Element-level reader of the fast header parser (little endian only, bounded).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctagkey.h>

namespace cvx::io::detail::fast {

struct Reader {
  Reader(const uint8_t* b, size_t n, size_t pos, bool explicitVr) : b(b), n(n), pos(pos), explicitVr(explicitVr) {}
  const uint8_t* b;
  size_t n;
  size_t pos;
  bool explicitVr;
  bool has(size_t k) const { return pos <= n && k <= n - pos; }
  uint16_t u16(size_t at) const { return static_cast<uint16_t>(b[at] | (b[at + 1] << 8)); }
  uint32_t u32(size_t at) const {
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
  }
};

constexpr uint32_t kUndefined = 0xFFFFFFFFu;

struct Element {
  uint32_t tag = 0;
  char vr[2] = {0, 0};  // "\0\0" when implicit
  uint32_t length = 0;
  size_t valuePos = 0;
};

struct Value {
  char vr[2];
  const uint8_t* p;
  uint32_t len;
};

// Elements of one data set level, in file order; sequences are recorded but not expanded, except
// the first item of RadiopharmaceuticalInformationSequence (kept in `radio`).
struct Attrs {
  std::vector<std::pair<uint32_t, Value>> items;
  std::vector<Attrs> radio;  // 0 or 1 entry
  const Value* find(uint32_t tag) const;
};

struct PixelInfo {
  bool found = false;
  bool definedLength = false;
  uint64_t offset = 0, length = 0;
};

// True when the element at pos carries an explicit VR (bytes 4-5 are a VR's two letters), the way
// pydicom and GDCM tell how a data set is really written, whatever its transfer syntax declares.
bool explicitVrAt(const uint8_t* b, size_t n, size_t pos);
// Reads the element header at r.pos; advances r.pos to the value. False if it does not fit.
bool readElementHeader(Reader& r, Element& e);
// File meta group (explicit VR LE); stops before the first non-0002 element.
bool parseMeta(Reader& r, Attrs& out);
// The data set up to Pixel Data (which is recorded, not read).
bool parseDataset(Reader& r, Attrs& out, PixelInfo& pixel);

// The attribute accessor of scan_fill.h over parsed values.
struct Access {
  const Attrs* a = nullptr;
  std::string str(const DcmTagKey& tag) const;
  std::optional<double> num(const DcmTagKey& tag, unsigned long pos = 0) const;
  std::optional<Access> item(const DcmTagKey& seq) const;
};

}  // namespace cvx::io::detail::fast

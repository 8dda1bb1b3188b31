// Part 10 files written byte by byte (explicit VR little endian, PS3.5 7.1.2 and PS3.10 7.1), so
// that a test can make a header lie exactly as it wants: Rows that the Pixel Data cannot hold, a
// million frames, item lengths past the end. No DCMTK, no CineVox code: the test states each byte.
#pragma once
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace cvx::test::crafted {

inline constexpr const char* kExplicitLE = "1.2.840.10008.1.2.1";
inline constexpr const char* kJpegLossless = "1.2.840.10008.1.2.4.70";
inline constexpr const char* kCtImage = "1.2.840.10008.5.1.4.1.1.2";

inline void put16(std::string& b, uint32_t v) {
  b += static_cast<char>(v & 0xFF);
  b += static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& b, uint32_t v) {
  put16(b, v & 0xFFFF);
  put16(b, v >> 16);
}

// One explicit VR LE element: tag, VR, value (padded to even length with the VR's pad byte).
inline std::string element(uint16_t group, uint16_t elem, const char* vr, std::string value) {
  const std::string v(vr);
  if (value.size() % 2) value += (v == "UI" || v == "OB") ? '\0' : ' ';
  std::string b;
  put16(b, group);
  put16(b, elem);
  b += v;
  const bool longForm = v == "OB" || v == "OW" || v == "SQ" || v == "UN" || v == "UT" || v == "OF";
  if (longForm) {
    put16(b, 0);
    put32(b, static_cast<uint32_t>(value.size()));
  } else {
    put16(b, static_cast<uint32_t>(value.size()));
  }
  return b + value;
}

inline std::string us(uint16_t v) {
  std::string b;
  put16(b, v);
  return b;
}

// An image: string and US attributes by tag (sorted on output), then Pixel Data.
struct Image {
  std::string transferSyntax = kExplicitLE;
  std::string sopInstance = "1.2.826.0.1.3680043.9.7777.1.1";
  std::map<uint32_t, std::pair<std::string, std::string>> attrs;  // (group << 16 | element) -> VR, value
  std::string trailer;  // raw elements after attrs (e.g. one out of tag order, which the fast parser declines)

  void set(uint16_t g, uint16_t e, const char* vr, const std::string& value) {
    attrs[(static_cast<uint32_t>(g) << 16) | e] = {vr, value};
  }
  void setUS(uint16_t g, uint16_t e, uint16_t v) { set(g, e, "US", us(v)); }
  void erase(uint16_t g, uint16_t e) { attrs.erase((static_cast<uint32_t>(g) << 16) | e); }

  // The meta header and every attribute below Pixel Data.
  std::string header() const {
    std::string meta = element(0x0002, 0x0001, "OB", std::string("\0\1", 2)) +
                       element(0x0002, 0x0002, "UI", kCtImage) + element(0x0002, 0x0003, "UI", sopInstance) +
                       element(0x0002, 0x0010, "UI", transferSyntax);
    std::string groupLength;
    put32(groupLength, static_cast<uint32_t>(meta.size()));
    std::string b(128, '\0');
    b += "DICM";
    b += element(0x0002, 0x0000, "UL", groupLength) + meta;
    for (const auto& [tag, v] : attrs)
      b += element(static_cast<uint16_t>(tag >> 16), static_cast<uint16_t>(tag & 0xFFFF), v.first.c_str(), v.second);
    return b + trailer;
  }
  // Native Pixel Data (OW) whose length field says `declared` and which holds `bytes`.
  std::string native(const std::string& bytes, uint32_t declared) const {
    std::string b = header();
    put16(b, 0x7FE0);
    put16(b, 0x0010);
    b += "OW";
    put16(b, 0);
    put32(b, declared);
    return b + bytes;
  }
  std::string native(const std::string& bytes) const { return native(bytes, static_cast<uint32_t>(bytes.size())); }
  // Encapsulated Pixel Data: an empty Basic Offset Table, the fragments, the sequence delimiter.
  std::string encapsulated(const std::vector<std::string>& fragments, bool delimit = true) const {
    std::string b = header();
    put16(b, 0x7FE0);
    put16(b, 0x0010);
    b += "OB";
    put16(b, 0);
    put32(b, 0xFFFFFFFFu);
    auto item = [&](const std::string& v) {
      put16(b, 0xFFFE);
      put16(b, 0xE000);
      put32(b, static_cast<uint32_t>(v.size()));
      b += v;
    };
    item("");
    for (const auto& f : fragments) item(f);
    if (delimit) {
      put16(b, 0xFFFE);
      put16(b, 0xE0DD);
      put32(b, 0);
    }
    return b;
  }
};

// A 16 x 16 CT slice, 16-bit signed, at z (mm), 0.5 mm pixels, in series `series`.
inline Image ctSlice(double z, int instance, const std::string& series = "1.2.826.0.1.3680043.9.7777.2") {
  Image im;
  im.sopInstance = "1.2.826.0.1.3680043.9.7777.1." + std::to_string(instance);
  im.set(0x0008, 0x0016, "UI", kCtImage);
  im.set(0x0008, 0x0018, "UI", im.sopInstance);
  im.set(0x0008, 0x0060, "CS", "CT");
  im.set(0x0010, 0x0020, "LO", "CRAFTED");
  im.set(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.9.7777.3");
  im.set(0x0020, 0x000E, "UI", series);
  im.set(0x0020, 0x0013, "IS", std::to_string(instance));
  char pos[64];
  std::snprintf(pos, sizeof pos, "0\\0\\%g", z);
  im.set(0x0020, 0x0032, "DS", pos);
  im.set(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
  im.set(0x0020, 0x0052, "UI", "1.2.826.0.1.3680043.9.7777.4");
  im.setUS(0x0028, 0x0002, 1);
  im.set(0x0028, 0x0004, "CS", "MONOCHROME2");
  im.setUS(0x0028, 0x0010, 16);
  im.setUS(0x0028, 0x0011, 16);
  im.set(0x0028, 0x0030, "DS", "0.5\\0.5");
  im.setUS(0x0028, 0x0100, 16);
  im.setUS(0x0028, 0x0101, 16);
  im.setUS(0x0028, 0x0102, 15);
  im.setUS(0x0028, 0x0103, 1);
  im.set(0x0028, 0x1052, "DS", "-1024");
  im.set(0x0028, 0x1053, "DS", "1");
  return im;
}

// Pixels of ctSlice: value (instance * 1000 + y * 16 + x), little endian.
inline std::string ctPixels(int instance) {
  std::string b;
  for (uint32_t i = 0; i < 256; ++i) put16(b, static_cast<uint32_t>(instance * 1000 + static_cast<int>(i)));
  return b;
}

inline void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// bytes padded (inside Pixel Data: the caller's declared length covers it) to exactly `size`.
inline std::string padTo(std::string bytes, size_t size) {
  if (bytes.size() < size) bytes.append(size - bytes.size(), '\0');
  return bytes;
}

}  // namespace cvx::test::crafted

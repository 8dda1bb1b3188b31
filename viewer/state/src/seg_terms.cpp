// SPDX-License-Identifier: MIT
// The segment terms (cvx/viewstate/seg_terms.h). Codes and meanings as DICOM part 16 gives them
// (tests/viewstate/seg_terms_test.cpp checks each against pydicom's copy of its SNOMED CT concepts
// and context groups); the colours are CineVox's own.
#include <cvx/viewstate/seg_terms.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cvx::view {
namespace {

const CodedTerm kTissue{"85756007", "SCT", "Tissue"};
const CodedTerm kAnatomy{"123037004", "SCT", "Anatomical Structure"};
const CodedTerm kAbnormal{"49755003", "SCT", "Morphologically Abnormal Structure"};

SegmentTerm term(const char* label, const CodedTerm& category, const char* code, std::array<uint8_t, 3> rgb,
                 const char* meaning = nullptr) {
  return {label, category, CodedTerm{code, "SCT", meaning ? meaning : label}, rgb};
}

}  // namespace

const std::vector<SegmentTerm>& segmentTerms() {
  static const std::vector<SegmentTerm> terms = {
      term("Tissue", kTissue, "85756007", {128, 174, 128}),
      term("Bone", kTissue, "272673000", {241, 214, 145}),
      term("Muscle", kTissue, "71616004", {192, 104, 88}),
      term("Blood", kTissue, "87612001", {190, 30, 40}),
      term("Liver", kAnatomy, "10200004", {196, 121, 79}),
      term("Lung", kAnatomy, "39607008", {200, 170, 170}),
      term("Kidney", kAnatomy, "64033007", {185, 95, 70}),
      term("Spleen", kAnatomy, "78961009", {150, 98, 165}),
      term("Pancreas", kAnatomy, "15776009", {245, 185, 120}),
      term("Gallbladder", kAnatomy, "28231008", {130, 190, 90}),
      term("Stomach", kAnatomy, "69695003", {225, 160, 140}),
      term("Colon", kAnatomy, "71854001", {205, 150, 105}),
      term("Bladder", kAnatomy, "89837001", {222, 200, 80}),
      term("Prostate", kAnatomy, "41216001", {230, 155, 115}),
      term("Heart", kAnatomy, "80891009", {206, 90, 84}),
      term("Aorta", kAnatomy, "15825003", {230, 60, 55}),
      term("Artery", kAnatomy, "51114001", {216, 40, 40}),
      term("Vein", kAnatomy, "29092000", {60, 90, 205}),
      term("Blood vessel", kAnatomy, "59820001", {200, 70, 70}),
      term("Lymph node", kAnatomy, "59441001", {110, 195, 120}),
      term("Thyroid", kAnatomy, "69748006", {210, 130, 160}),
      term("Esophagus", kAnatomy, "32849002", {210, 170, 120}),
      term("Trachea", kAnatomy, "44567001", {175, 215, 240}),
      term("Brain", kAnatomy, "12738006", {250, 210, 180}),
      term("Spinal cord", kAnatomy, "2748008", {250, 235, 100}),
      term("Rib", kAnatomy, "113197003", {235, 205, 140}),
      term("Vertebra", kAnatomy, "51282000", {225, 195, 130}),
      term("Neoplasm", kAbnormal, "108369006", {70, 220, 70}),
      term("Mass", kAbnormal, "4147007", {255, 150, 30}),
      term("Nodule", kAbnormal, "27925004", {255, 210, 0}),
      term("Cyst", kAbnormal, "367643001", {100, 180, 255}),
      term("Necrosis", kAbnormal, "6574001", {120, 80, 60}),
      term("Edema", kAbnormal, "79654002", {150, 205, 255}),
      term("Thrombus", kAbnormal, "396339007", {165, 40, 70}),
  };
  return terms;
}

int segmentTermIndex(const Segment& s) {
  const auto& terms = segmentTerms();
  for (size_t i = 0; i < terms.size(); ++i)
    if (terms[i].type.value == s.type.value && terms[i].type.scheme == s.type.scheme &&
        terms[i].category.value == s.category.value && terms[i].category.scheme == s.category.scheme)
      return static_cast<int>(i);
  return -1;
}

bool defaultSegmentName(const std::string& name) {
  const std::string prefix = "Segment ";
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return false;
  for (size_t i = prefix.size(); i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

Segment withSegmentTerm(Segment s, const SegmentTerm& t) {
  const int old = segmentTermIndex(s);
  if (s.name.empty() || defaultSegmentName(s.name) || (old >= 0 && s.name == segmentTerms()[static_cast<size_t>(old)].label))
    s.name = t.label;
  s.category = t.category;
  s.type = t.type;
  s.rgb = t.rgb;
  return s;
}

Segment withSegmentTermCode(Segment s, const std::string& typeCode) {
  for (const SegmentTerm& t : segmentTerms())
    if (!typeCode.empty() && t.type.value == typeCode && t.type.scheme == "SCT") return withSegmentTerm(std::move(s), t);
  return s;
}

std::array<uint8_t, 3> newSegmentColour(size_t n) {
  static constexpr std::array<std::array<uint8_t, 3>, 6> kPalette{
      {{128, 174, 128}, {216, 101, 79}, {111, 184, 210}, {241, 214, 145}, {183, 156, 220}, {230, 220, 70}}};
  return kPalette[n % kPalette.size()];
}

std::array<uint8_t, 3> numberedColour(std::array<uint8_t, 3> base, int64_t k) {
  if (k <= 1) return base;
  // RGB to HSV (h in [0, 6)), the hue turned, and back.
  const double r = base[0] / 255.0, g = base[1] / 255.0, b = base[2] / 255.0;
  const double hi = std::max({r, g, b}), lo = std::min({r, g, b}), c = hi - lo;
  if (c <= 0) return base;
  double h = hi == r ? std::fmod((g - b) / c + 6.0, 6.0) : hi == g ? (b - r) / c + 2.0 : (r - g) / c + 4.0;
  h = std::fmod(h + static_cast<double>((k - 1) % 1000) * 137.50776 / 60.0, 6.0);
  const double x = c * (1.0 - std::fabs(std::fmod(h, 2.0) - 1.0));
  double rgb[3] = {0, 0, 0};
  const int sector = static_cast<int>(h) % 6;
  const int big[6] = {0, 1, 1, 2, 2, 0}, mid[6] = {1, 0, 2, 1, 0, 2};
  rgb[big[sector]] = c, rgb[mid[sector]] = x;
  std::array<uint8_t, 3> out{};
  for (int i = 0; i < 3; ++i) out[static_cast<size_t>(i)] = static_cast<uint8_t>(std::lround((rgb[i] + lo) * 255.0));
  return out;
}

}  // namespace cvx::view

// SPDX-License-Identifier: MIT
// What a segment is, as a DICOM SEG says it (issue 12): the terms a reader picks from in the Segments
// dock's Type box, each a SegmentedPropertyCategory from DICOM CID 7150 and a SegmentedPropertyType
// from CID 7151 (SNOMED CT, the code meanings of DICOM part 16), with a colour to draw it in. A SEG
// written with a term tells PACS and other viewers "Liver" or "Neoplasm" rather than "Tissue". The
// list is short on purpose: the structures radiologists and surgeons outline most; a file's own
// terms (a SEG read) are kept whatever they are. docs/segmentation.md, "Segment terms".
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <cvx/core/segmentation.h>

namespace cvx::view {

struct SegmentTerm {
  std::string label;  // as listed, and a new segment's name
  CodedTerm category, type;
  std::array<uint8_t, 3> rgb{};
};

// The terms, tissue types first, then organs and vessels, then abnormal structures.
const std::vector<SegmentTerm>& segmentTerms();

// The index of s's term in segmentTerms() (its type and category, by code value and scheme), or -1.
int segmentTermIndex(const Segment& s);

// A name that a new segment gets ("Segment 3"): such a name follows a term chosen for it.
bool defaultSegmentName(const std::string& name);

// s with term t: its category, type and colour, and its name where the name is empty, a default
// one, or the label of the term it had; a name of the reader's own is kept.
Segment withSegmentTerm(Segment s, const SegmentTerm& t);
// s with the term of segmentTerms() whose type is SNOMED CT code `typeCode` (a plugin's resultType),
// by withSegmentTerm; s as it is when no term has that code (or the code is empty).
Segment withSegmentTermCode(Segment s, const std::string& typeCode);

// A new segment's colour where no term gives one: the n-th (0-based: the segments there already are,
// in its segmentation or in the dock) of a fixed palette of distinct colours, repeating.
std::array<uint8_t, 3> newSegmentColour(size_t n);
// The k-th (1-based) of numbered segments of one term ("Lesion 1", "Lesion 2", ...): the term's colour
// for the first, then that colour's hue turned by the golden angle (137.508 degrees) k - 1 times at
// its saturation and value, so that successive ones differ (a grey stays grey).
std::array<uint8_t, 3> numberedColour(std::array<uint8_t, 3> base, int64_t k);

}  // namespace cvx::view

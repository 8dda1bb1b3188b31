// SPDX-License-Identifier: MIT
// The segment terms (cvx/viewstate/seg_terms.h) against DICOM part 16 as Debian's python3-pydicom
// carries it (pydicom.sr._concepts_dict: SNOMED CT concepts with their meanings and the context
// groups that list them): every category is in CID 7150 (Segmentation Property Categories) and
// every type in CID 7151 (Segmentation Property Types), with the code meaning given there. Then
// the naming rule of withSegmentTerm.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include <cvx/viewstate/seg_terms.h>

#include "temp_dir.h"

using namespace cvx;
using namespace cvx::view;

namespace {

// Runs the checker with Debian's python3 (where python3-pydicom installs): one line per term, "ok"
// or what is wrong; "" when no python3 with pydicom runs.
std::string checkWithPydicom(const std::string& terms) {
  test::TempDir dir;
  const std::string script = dir.path() + "/check.py", input = dir.path() + "/terms.txt";
  std::ofstream(script) << R"(import sys
import pydicom.sr._concepts_dict as c
known = {}
for keyword, codes in c.concepts["SCT"].items():
    for value, (meaning, cids) in codes.items():
        known.setdefault(value, []).append((meaning, set(cids)))
for line in open(sys.argv[1]):
    value, scheme, meaning, cid = line.rstrip("\n").split("|")
    entries = known.get(value, []) if scheme == "SCT" else []
    if not entries:
        print("unknown code", value, meaning)
    elif not any(m == meaning for m, _ in entries):
        print("meaning", value, repr(meaning), "is not one of", [m for m, _ in entries])
    elif not any(m == meaning and int(cid) in cids for m, cids in entries):
        print(value, meaning, "is not in CID", cid)
    else:
        print("ok")
)";
  std::ofstream(input) << terms;
  for (const char* py : {"/usr/bin/python3", "python3"}) {
    const std::string cmd = std::string(py) + " -c 'import pydicom' 2>/dev/null && " + py + " " + script + " " + input;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) continue;
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, f)) out += buf;
    if (pclose(f) == 0 && !out.empty()) return out;
  }
  return "";
}

}  // namespace

TEST(SegTerms, EveryCategoryAndTypeIsDicomsWithItsMeaning) {
  std::string lines;
  size_t n = 0;
  for (const SegmentTerm& t : segmentTerms()) {
    lines += t.category.value + "|" + t.category.scheme + "|" + t.category.meaning + "|7150\n";
    lines += t.type.value + "|" + t.type.scheme + "|" + t.type.meaning + "|7151\n";
    n += 2;
  }
  const std::string out = checkWithPydicom(lines);
  if (out.empty()) GTEST_SKIP() << "python3-pydicom not installed (scripts/deps.sh --tests)";
  size_t ok = 0, pos = 0;
  for (size_t end; (end = out.find('\n', pos)) != std::string::npos; pos = end + 1) {
    const std::string line = out.substr(pos, end - pos);
    if (line == "ok")
      ++ok;
    else
      ADD_FAILURE() << line;
  }
  EXPECT_EQ(ok, n);
}

TEST(SegTerms, LabelsTypesAndColoursAreDistinct) {
  std::set<std::string> labels, types;
  std::set<std::array<uint8_t, 3>> colours;
  for (const SegmentTerm& t : segmentTerms()) {
    EXPECT_TRUE(labels.insert(t.label).second) << t.label;
    EXPECT_TRUE(types.insert(t.type.value).second) << t.label;
    EXPECT_TRUE(colours.insert(t.rgb).second) << t.label;
  }
  EXPECT_GE(labels.size(), 30u);
}

TEST(SegTerms, ATermNamesADefaultOrTermNamedSegmentAndKeepsAReadersName) {
  const auto& terms = segmentTerms();
  auto find = [&](const std::string& label) {
    for (const SegmentTerm& t : terms)
      if (t.label == label) return t;
    ADD_FAILURE() << label;
    return SegmentTerm{};
  };
  const SegmentTerm liver = find("Liver"), neoplasm = find("Neoplasm");
  Segment s;
  s.name = "Segment 12";
  s.layer = 2, s.label = 7;
  Segment a = withSegmentTerm(s, liver);
  EXPECT_EQ(a.name, "Liver");
  EXPECT_EQ(a.type, (CodedTerm{"10200004", "SCT", "Liver"}));
  EXPECT_EQ(a.category, (CodedTerm{"123037004", "SCT", "Anatomical Structure"}));
  EXPECT_EQ(a.rgb, liver.rgb);
  EXPECT_EQ(a.layer, 2u);  // where its voxels are is not the term's
  EXPECT_EQ(a.label, 7);
  int liverAt = -1;
  for (size_t i = 0; i < terms.size(); ++i)
    if (terms[i].label == "Liver") liverAt = static_cast<int>(i);
  EXPECT_EQ(segmentTermIndex(a), liverAt);
  // Named after its term: a new term renames it; a reader's own name stays.
  EXPECT_EQ(withSegmentTerm(a, neoplasm).name, "Neoplasm");
  a.name = "GTV primary";
  EXPECT_EQ(withSegmentTerm(a, neoplasm).name, "GTV primary");
  EXPECT_EQ(withSegmentTerm(a, neoplasm).type.value, "108369006");
  Segment empty;
  EXPECT_EQ(withSegmentTerm(empty, liver).name, "Liver");
  // A file's own term (the old SNOMED RT codes of dcmqi's liver.dcm) is none of the list.
  Segment old;
  old.category = {"T-D0050", "SRT", "Tissue"};
  old.type = {"T-62000", "SRT", "Liver"};
  EXPECT_EQ(segmentTermIndex(old), -1);
  // By code (a plugin's resultType): the term whose type it is; a code of none leaves s as it is.
  Segment lesion;
  lesion.name = "Lesion 2";
  lesion.rgb = {1, 2, 3};
  const Segment coded = withSegmentTermCode(lesion, "108369006");
  EXPECT_EQ(coded.name, "Lesion 2") << "a plugin's own name stays";
  EXPECT_EQ(coded.type, neoplasm.type);
  EXPECT_EQ(coded.category, neoplasm.category);
  EXPECT_EQ(coded.rgb, neoplasm.rgb);
  EXPECT_EQ(withSegmentTermCode(lesion, "999999999").rgb, lesion.rgb);
  EXPECT_TRUE(withSegmentTermCode(lesion, "").type.value.empty());
  EXPECT_TRUE(defaultSegmentName("Segment 3"));
  EXPECT_FALSE(defaultSegmentName("Segment"));
  EXPECT_FALSE(defaultSegmentName("Segment 3b"));
  EXPECT_FALSE(defaultSegmentName("segment 3"));
}

// Numbered segments of one term (Lesion 1, 2, ...) and new segments without a term get colours
// apart from their neighbours'. Checked as properties: the first lesion keeps the term's colour;
// the next ones keep its HSV value and chroma (largest and smallest channel) while their hues
// differ; a grey has no hue to turn.
TEST(SegTerms, NumberedAndNewSegmentsGetDistinctColours) {
  const std::array<uint8_t, 3> neoplasm{70, 220, 70};
  EXPECT_EQ(numberedColour(neoplasm, 1), neoplasm);
  std::vector<std::array<uint8_t, 3>> seen{neoplasm};
  for (int64_t k = 2; k <= 8; ++k) {
    const auto c = numberedColour(neoplasm, k);
    EXPECT_NEAR(*std::max_element(c.begin(), c.end()), 220, 1) << k;
    EXPECT_NEAR(*std::min_element(c.begin(), c.end()), 70, 1) << k;
    for (const auto& o : seen) {
      int far = 0;
      for (size_t i = 0; i < 3; ++i) far = std::max(far, std::abs(int(c[i]) - int(o[i])));
      EXPECT_GE(far, 30) << "lesion " << k << " looks like an earlier one";
    }
    seen.push_back(c);
  }
  const std::array<uint8_t, 3> grey{120, 120, 120};
  EXPECT_EQ(numberedColour(grey, 5), grey);
  std::set<std::array<uint8_t, 3>> palette;
  for (size_t n = 0; n < 6; ++n) palette.insert(newSegmentColour(n));
  EXPECT_EQ(palette.size(), 6u);
  EXPECT_EQ(newSegmentColour(6), newSegmentColour(0));
}

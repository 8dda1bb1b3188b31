// SPDX-License-Identifier: MIT
// Hanging protocols: the project's own file parses and picks what issue 10 asks for each study;
// malformed protocols are refused with their codes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <cvx/viewstate/hanging.h>

using namespace cvx::view;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<HangingProtocol> shipped() {
  auto p = parseProtocols(readFile(std::string(CVX_SOURCE_DIR) + "/resources/hanging_protocols.json"));
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().str());
  return p.ok() ? p.value() : std::vector<HangingProtocol>{};
}

}  // namespace

TEST(Hanging, StandardLayoutsHaveTheirGridsAndViews) {
  const Layout* l = findLayout("2x2");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->rows * l->cols, 4);
  ASSERT_EQ(l->cells.size(), 4u);
  EXPECT_EQ(l->cells[0].kind, CellKind::Axial);
  EXPECT_EQ(l->cells[1].kind, CellKind::Coronal);
  EXPECT_EQ(l->cells[2].kind, CellKind::Sagittal);
  EXPECT_EQ(l->cells[3].kind, CellKind::ThreeD);
  for (const char* name : {"1x1", "1x2", "2x2", "1x3"}) {
    const Layout* g = findLayout(name);
    ASSERT_NE(g, nullptr) << name;
    EXPECT_EQ(static_cast<int>(g->cells.size()), g->rows * g->cols) << name;
  }
  EXPECT_EQ(findLayout("3x3"), nullptr);
}

// Issue 10: CT to 2x2 with a CT preset, MR to 1x3, PET/CT to CT and PET side by side.
TEST(Hanging, TheShippedProtocolsHangCtMrAndPetCtAsAsked) {
  const auto protocols = shipped();
  const HangingProtocol* ct = chooseProtocol(protocols, {"CT"});
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(ct->layout.name, "2x2");
  ASSERT_TRUE(ct->windowPreset.count("CT"));
  const HangingProtocol* mr = chooseProtocol(protocols, {"MR"});
  ASSERT_NE(mr, nullptr);
  EXPECT_EQ(mr->layout.name, "1x3");
  EXPECT_EQ(mr->layout.cells[2].kind, CellKind::Sagittal);
  // PET/CT: the more specific protocol wins over CT alone, whatever the series order.
  for (const auto& mods : {std::vector<std::string>{"CT", "PT"}, std::vector<std::string>{"PT", "CT", "SR"}}) {
    const HangingProtocol* pc = chooseProtocol(protocols, mods);
    ASSERT_NE(pc, nullptr);
    EXPECT_EQ(pc->layout.name, "1x2");
    EXPECT_EQ(pc->layout.cells[0].modality, "CT");
    EXPECT_EQ(pc->layout.cells[1].modality, "PT");
    EXPECT_EQ(pc->layout.cells[0].kind, CellKind::Axial);
    EXPECT_EQ(pc->layout.cells[1].kind, CellKind::Axial);
  }
  EXPECT_EQ(chooseProtocol(protocols, {"US"}), nullptr);
}

TEST(Hanging, MalformedProtocolsAreRefusedWithACode) {
  auto codeOf = [](const std::string& json) {
    auto r = parseProtocols(json);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(codeOf("not json"), "protocol.bad_json");
  EXPECT_EQ(codeOf(R"({"protocols": 3})"), "protocol.bad_json");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": [], "layout": "2x2"}]})"), "protocol.bad_json");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": ["CT"], "layout": "3x3"}]})"), "protocol.bad_layout");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": ["CT"], "layout": "1x2",
                       "cells": [{"view": "axial"}]}]})"),
            "protocol.bad_layout");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": ["CT"], "layout": "1x1",
                       "cells": [{"view": "oblique"}]}]})"),
            "protocol.bad_layout");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": ["CT"], "layout": "1x1",
                       "windowPreset": {"CT": "sunset"}}]})"),
            "protocol.bad_preset");
  EXPECT_EQ(codeOf(R"({"protocols": [{"name": "x", "modalities": ["CT"], "layout": "1x1"}]})"), "ok");
}

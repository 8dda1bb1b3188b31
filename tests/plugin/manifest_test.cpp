// Manifests: every field parsed, and each way a manifest can be wrong gives its code.
#include <gtest/gtest.h>

#include <cvx/core/plugin/host.h>

using cvx::plugin::parseManifest;

namespace {

const char* kGood = R"({
  "id": "region_grow", "kind": "segmenter", "name": "Region growing", "version": "2.1",
  "apiVersion": 1, "backends": ["cpu", "cuda"], "library": "cvx_seg_grow.so",
  "description": "grows from seeds", "resultName": "Region", "resultType": "108369006",
  "parameters": [
    {"name": "seeds", "label": "Seeds", "type": "seeds", "required": true},
    {"name": "lower", "type": "float", "default": -100, "min": -2000, "max": 4000, "unit": "HU"},
    {"name": "connectivity", "type": "enum", "values": ["6", "26"], "default": "26"},
    {"name": "fill", "type": "bool", "default": true},
    {"name": "iterations", "type": "int", "default": 5, "min": 1}
  ]
})";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

void expectCode(const std::string& json, const char* code, const char* inMessage = "") {
  auto m = parseManifest(json, "/some/where/x.json");
  ASSERT_FALSE(m.ok()) << json;
  EXPECT_EQ(m.error().code, code);
  EXPECT_EQ(m.error().path, "/some/where/x.json");
  EXPECT_NE(m.error().message.find(inMessage), std::string::npos) << m.error().message;
}

}  // namespace

TEST(PluginManifest, ParsesEveryField) {
  auto m = parseManifest(kGood, "/p/grow.json");
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(m->id, "region_grow");
  EXPECT_EQ(m->kind, cvx::plugin::Kind::Segmenter);
  EXPECT_EQ(m->name, "Region growing");
  EXPECT_EQ(m->version, "2.1");
  EXPECT_EQ(m->apiVersion, 1u);
  EXPECT_EQ(m->backends, (std::vector<std::string>{"cpu", "cuda"}));
  EXPECT_EQ(m->libraryPath(), "/p/cvx_seg_grow.so");
  EXPECT_EQ(m->resultName, "Region");
  EXPECT_EQ(m->resultType, "108369006");
  ASSERT_EQ(m->params.size(), 5u);
  const auto& seeds = m->params[0];
  EXPECT_EQ(seeds.type, cvx::plugin::ParamType::Seeds);
  EXPECT_TRUE(seeds.required);
  EXPECT_EQ(seeds.label, "Seeds");
  const auto& lower = m->params[1];
  EXPECT_EQ(lower.label, "lower");  // label defaults to the name
  EXPECT_DOUBLE_EQ(lower.defaultValue, -100);
  EXPECT_TRUE(lower.hasMin && lower.hasMax);
  EXPECT_DOUBLE_EQ(lower.minValue, -2000);
  EXPECT_DOUBLE_EQ(lower.maxValue, 4000);
  EXPECT_EQ(lower.unit, "HU");
  EXPECT_EQ(m->params[2].enumValues, (std::vector<std::string>{"6", "26"}));
  EXPECT_DOUBLE_EQ(m->params[2].defaultValue, 1);  // index of "26"
  EXPECT_DOUBLE_EQ(m->params[3].defaultValue, 1);
  EXPECT_TRUE(m->params[4].hasMin && !m->params[4].hasMax);
}

TEST(PluginManifest, EachDefectHasItsCode) {
  const std::string g = kGood;
  expectCode("{ \"id\": ", "plugin.bad_manifest", "not valid JSON");
  expectCode("[1, 2]", "plugin.bad_manifest", "object");
  expectCode(replace(g, R"("id": "region_grow", )", ""), "plugin.bad_manifest", "'id'");
  expectCode(replace(g, R"("id": "region_grow")", R"("id": "has space")"), "plugin.bad_manifest", "id");
  expectCode(replace(g, R"("kind": "segmenter")", R"("kind": "painter")"), "plugin.bad_manifest", "painter");
  expectCode(replace(g, R"(["cpu", "cuda"])", R"(["cpu", "opencl"])"), "plugin.bad_manifest", "back end");
  expectCode(replace(g, R"(["cpu", "cuda"])", "[]"), "plugin.bad_manifest", "back ends");
  expectCode(replace(g, "cvx_seg_grow.so", "../evil.so"), "plugin.bad_manifest", "file name");
  expectCode(replace(g, R"("version": "2.1")", R"("version": 2.1)"), "plugin.bad_manifest", "'version'");
  expectCode(replace(g, R"("type": "bool")", R"("type": "colour")"), "plugin.bad_manifest", "colour");
  expectCode(replace(g, R"("default": "26")", R"("default": "8")"), "plugin.bad_manifest", "connectivity");
  expectCode(replace(g, R"("default": 5, )", ""), "plugin.bad_manifest", "iterations");
  expectCode(replace(g, R"("name": "fill")", R"("name": "lower")"), "plugin.bad_manifest", "twice");
  expectCode(replace(g, R"("name": "fill")", R"("name": "Fill")"), "plugin.bad_manifest", "Fill");
  expectCode(replace(g, R"("apiVersion": 1)", R"("apiVersion": -1)"), "plugin.bad_manifest", "apiVersion");
  expectCode(replace(g, R"("apiVersion": 1)", R"("apiVersion": 2)"), "plugin.api_mismatch", "2");
  expectCode(replace(g, R"("resultType": "108369006")", R"("resultType": "Neoplasm")"), "plugin.bad_manifest", "SNOMED");
  expectCode(replace(g, R"("resultType": "108369006")", R"("resultType": 108369006)"), "plugin.bad_manifest", "resultType");
}

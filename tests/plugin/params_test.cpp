// `--param key=value` parsing and validation against parameter specs.
#include <gtest/gtest.h>

#include <cvx/core/plugin/params.h>

using namespace cvx::plugin;

namespace {

std::vector<ParamSpec> specs() {
  ParamSpec lower{"lower", "Lower", ParamType::Float, -100, true, true, false, -2000, 4000, "HU", {}, ""};
  ParamSpec iters{"iterations", "Iterations", ParamType::Int, 5, true, false, false, 1, 0, "", {}, ""};
  ParamSpec fill{"fill", "Fill", ParamType::Bool, 0, false, false, false, 0, 0, "", {}, ""};
  ParamSpec conn{"connectivity", "Connectivity", ParamType::Enum, 1, false, false, false, 0, 0, "", {"6", "26"}, ""};
  ParamSpec seeds{"seeds", "Seeds", ParamType::Seeds, 0, false, false, true, 0, 0, "", {}, ""};
  return {lower, iters, fill, conn, seeds};
}

void expectBad(const cvx::Result<ParamValues>& r, const char* name) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_param");
  EXPECT_EQ(r.error().path, name);
  EXPECT_NE(r.error().message.find(name), std::string::npos) << r.error().message;
}

}  // namespace

TEST(PluginParams, KeyValueArguments) {
  auto kv = parseParamArg("lower=-100.5");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->first, "lower");
  EXPECT_EQ(kv->second, "-100.5");
  auto withEq = parseParamArg("expr=a=b");  // the first '=' splits
  ASSERT_TRUE(withEq.ok());
  EXPECT_EQ(withEq->second, "a=b");
  for (const char* bad : {"lower", "=3", " =3"}) {
    auto r = parseParamArg(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "plugin.bad_param");
  }
}

TEST(PluginParams, ResolveFillsDefaultsInSpecOrder) {
  auto r = resolveParams(specs(), {{"seeds", "1,2,3; 4,5,6"}, {"fill", "yes"}, {"connectivity", "6"}});
  ASSERT_TRUE(r.ok()) << r.error().str();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].name, "lower");
  EXPECT_DOUBLE_EQ((*r)[0].number, -100);
  EXPECT_DOUBLE_EQ((*r)[1].number, 5);
  EXPECT_DOUBLE_EQ((*r)[2].number, 1);
  EXPECT_DOUBLE_EQ((*r)[3].number, 0);
  EXPECT_EQ((*r)[3].text, "6");
  ASSERT_EQ((*r)[4].points.size(), 2u);
  EXPECT_EQ((*r)[4].points[1], (std::array<double, 3>{4, 5, 6}));
}

TEST(PluginParams, EachWrongValueNamesItsParameter) {
  const auto s = specs();
  const std::pair<std::string, std::string> seed{"seeds", "0,0,0"};
  expectBad(resolveParams(s, {seed, {"lower", "abc"}}), "lower");
  expectBad(resolveParams(s, {seed, {"lower", "12x"}}), "lower");
  expectBad(resolveParams(s, {seed, {"lower", "nan"}}), "lower");
  expectBad(resolveParams(s, {seed, {"lower", "-2000.5"}}), "lower");  // below min
  expectBad(resolveParams(s, {seed, {"lower", "4000.01"}}), "lower");  // above max
  expectBad(resolveParams(s, {seed, {"iterations", "2.5"}}), "iterations");
  expectBad(resolveParams(s, {seed, {"iterations", "0"}}), "iterations");
  expectBad(resolveParams(s, {seed, {"fill", "maybe"}}), "fill");
  expectBad(resolveParams(s, {seed, {"connectivity", "8"}}), "connectivity");
  expectBad(resolveParams(s, {{"seeds", "1,2"}}), "seeds");
  expectBad(resolveParams(s, {{"seeds", "1,2,3,4"}}), "seeds");
  expectBad(resolveParams(s, {{"seeds", "1,-2,3"}}), "seeds");
  expectBad(resolveParams(s, {{"seeds", ""}}), "seeds");  // required: at least one
  expectBad(resolveParams(s, {}), "seeds");                // required and missing
  expectBad(resolveParams(s, {seed, {"colour", "red"}}), "colour");  // unknown
  expectBad(resolveParams(s, {seed, {"fill", "1"}, {"fill", "0"}}), "fill");  // twice
}

TEST(PluginParams, RangeEndsAreInclusive) {
  const auto s = specs();
  auto r = resolveParams(s, {{"seeds", "0,0,0"}, {"lower", "-2000"}, {"iterations", "1"}});
  ASSERT_TRUE(r.ok()) << r.error().str();
  r = resolveParams(s, {{"seeds", "0,0,0"}, {"lower", "4000"}});
  ASSERT_TRUE(r.ok()) << r.error().str();
}

TEST(PluginParams, TypedValuesAreCheckedLikeText) {
  const auto s = specs();
  ParamValue seeds{"seeds", ParamType::Seeds, 0, {}, {{1, 1, 1}}};
  auto ok = checkParams(s, {seeds});
  ASSERT_TRUE(ok.ok()) << ok.error().str();
  EXPECT_EQ(ok->size(), 5u);
  expectBad(checkParams(s, {seeds, {"lower", ParamType::Float, 5000, {}, {}}}), "lower");
  expectBad(checkParams(s, {seeds, {"lower", ParamType::Int, 5, {}, {}}}), "lower");  // wrong type
  expectBad(checkParams(s, {seeds, {"connectivity", ParamType::Enum, 0, "26", {}}}), "connectivity");
  expectBad(checkParams(s, {seeds, {"nope", ParamType::Bool, 1, {}, {}}}), "nope");
  expectBad(checkParams(s, {}), "seeds");
}

// The mask input of the plugin ABI: the manifest's "input", the host's checks of RunOptions::mask
// (a "segment" plugin without one, or with one off the grid, is plugin.bad_input), and
// Volume::borrow, the no-copy view the plugins run cvx::seg on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <cvx/core/plugin/host.h>

using cvx::Volume;
using cvx::plugin::PluginHost;
using cvx::plugin::PluginInput;

namespace {

std::string manifest(const std::string& inputField) {
  return R"({"id": "m", "kind": "segmenter", "name": "M", "version": "1", "apiVersion": 1,
             "backends": ["cpu"], "library": "m.so")" +
         inputField + "}";
}

std::shared_ptr<Volume> uint8Volume(std::array<int64_t, 4> d) {
  auto v = Volume::create(cvx::PixelType::UInt8, d);
  EXPECT_TRUE(v.ok());
  return *v;
}

}  // namespace

TEST(PluginManifest, InputDefaultsToImageAndIsParsed) {
  auto m = cvx::plugin::parseManifest(manifest(""));
  ASSERT_TRUE(m.ok()) << m.error().str();
  EXPECT_EQ(m->input, PluginInput::Image);
  for (auto [text, want] :
       {std::pair{"image", PluginInput::Image}, std::pair{"segment", PluginInput::Segment},
        std::pair{"seeds", PluginInput::Seeds}}) {
    auto r = cvx::plugin::parseManifest(manifest(std::string(R"(, "input": ")") + text + "\""));
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(r->input, want) << text;
    EXPECT_STREQ(cvx::plugin::toString(r->input), text);
  }
  for (const char* bad : {R"(, "input": "mask")", R"(, "input": 1)"}) {
    auto r = cvx::plugin::parseManifest(manifest(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "plugin.bad_manifest");
  }
}

// "replacesInput": false unless given; true only beside "input": "segment" (a result replacing an
// image plugin's input means nothing), and a boolean.
TEST(PluginManifest, ReplacesInputIsASegmentPluginsBoolean) {
  auto plain = cvx::plugin::parseManifest(manifest(R"(, "input": "segment")"));
  ASSERT_TRUE(plain.ok()) << plain.error().str();
  EXPECT_FALSE(plain->replacesInput);
  auto r = cvx::plugin::parseManifest(manifest(R"(, "input": "segment", "replacesInput": true)"));
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_TRUE(r->replacesInput);
  for (const char* bad : {R"(, "replacesInput": true)", R"(, "input": "seeds", "replacesInput": true)",
                          R"(, "input": "segment", "replacesInput": "yes")"}) {
    auto b = cvx::plugin::parseManifest(manifest(bad));
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.error().code, "plugin.bad_manifest") << bad;
    EXPECT_NE(b.error().message.find("replacesInput"), std::string::npos) << b.error().message;
  }
}

TEST(PluginHostMask, ASegmentPluginNeedsAMaskOnTheInputsGrid) {
  PluginHost host;
  host.discover({CVX_PLUGIN_DIR});
  auto image = Volume::create(cvx::PixelType::Int16, {10, 8, 6, 1});
  ASSERT_TRUE(image.ok());
  const auto* m = host.find("morphology");
  ASSERT_NE(m, nullptr);
  const auto params = cvx::plugin::defaultParams(m->params);
  auto expectBadInput = [&](const cvx::plugin::RunOptions& o, const char* why) {
    auto r = host.segment("morphology", **image, params, nullptr, o);
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_EQ(r.error().code, "plugin.bad_input") << why << ": " << r.error().str();
  };
  cvx::plugin::RunOptions o;
  expectBadInput(o, "no mask");
  auto wrongDims = uint8Volume({10, 8, 5, 1});
  o.mask = wrongDims.get();
  expectBadInput(o, "other dims");
  auto wrongType = Volume::create(cvx::PixelType::Int16, {10, 8, 6, 1});
  ASSERT_TRUE(wrongType.ok());
  o.mask = wrongType->get();
  expectBadInput(o, "int16 mask");
  // The right mask runs: dilating one voxel by 1 mm at 1 mm spacing gives the 7-voxel cross.
  auto good = uint8Volume({10, 8, 6, 1});
  good->as<uint8_t>()[(3 * 8 + 4) * 10 + 5] = 1;
  o.mask = good.get();
  auto p = cvx::plugin::resolveParams(m->params, {{"radius_mm", "1"}});
  ASSERT_TRUE(p.ok());
  auto r = host.segment("morphology", **image, *p, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.error().str();
  int64_t n = 0;
  for (int64_t i = 0; i < (*r)->voxelCount(); ++i) n += (*r)->as<uint8_t>()[i];
  EXPECT_EQ(n, 7);
  // An image plugin is handed no mask: giving one changes nothing.
  auto t = host.segment("threshold", **image, cvx::plugin::defaultParams(host.find("threshold")->params),
                        nullptr, o);
  ASSERT_TRUE(t.ok()) << t.error().str();
}

TEST(VolumeBorrow, ViewsTheCallersMemoryAndNeverFreesIt) {
  std::vector<int16_t> buffer(4 * 3 * 2 * 2);
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<int16_t>(i * 3);
  {
    auto v = Volume::borrow(cvx::PixelType::Int16, {4, 3, 2, 2}, buffer.data());
    ASSERT_TRUE(v.ok()) << v.error().str();
    EXPECT_EQ(static_cast<void*>((*v)->data()), static_cast<void*>(buffer.data()));
    EXPECT_EQ((*v)->voxelCount(), 48);
    EXPECT_EQ((*v)->valueAt(3, 2, 1, 1), 47 * 3);
    EXPECT_TRUE((*v)->sliceReady(3));
    (*v)->as<int16_t>()[5] = -7;  // the same memory
  }
  EXPECT_EQ(buffer[5], -7);         // still the caller's, and still alive after the Volume died
  buffer.assign(buffer.size(), 1);  // (a freed buffer would trip the allocator or ASan here)
  EXPECT_FALSE(Volume::borrow(cvx::PixelType::UInt8, {4, 3, 2, 1}, nullptr).ok());
  auto bad = Volume::borrow(cvx::PixelType::UInt8, {0, 3, 2, 1}, buffer.data());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "volume.bad_dims");
}

TEST(PluginHostMask, CvxSegErrorsBecomeTheirPluginStatusWithTheSegCode) {
  PluginHost host;
  host.discover({CVX_PLUGIN_DIR});
  // A ball wider than 255 voxels (100 mm at 0.2 mm): seg.bad_radius -> plugin.bad_param.
  auto m = uint8Volume({8, 8, 8, 1});
  m->geometry.spacingMm = {0.2, 0.2, 0.2};
  m->as<uint8_t>()[100] = 1;
  cvx::plugin::RunOptions o;
  o.mask = m.get();
  auto p = cvx::plugin::resolveParams(host.find("morphology")->params, {{"radius_mm", "100"}});
  ASSERT_TRUE(p.ok());
  auto r = host.segment("morphology", *m, *p, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "plugin.bad_param");
  EXPECT_NE(r.error().message.find("seg.bad_radius"), std::string::npos) << r.error().message;
  // Otsu of a constant volume: seg.flat_histogram -> plugin.failed.
  auto flat = uint8Volume({6, 6, 6, 1});
  auto o2 = host.segment("otsu", *flat, cvx::plugin::defaultParams(host.find("otsu")->params));
  ASSERT_FALSE(o2.ok());
  EXPECT_EQ(o2.error().code, "plugin.failed");
  EXPECT_NE(o2.error().message.find("seg.flat_histogram"), std::string::npos) << o2.error().message;
}

// The segmentation model (core/segmentation.h): the layer packing rule, masks, voxel counts and
// volumes in mL, against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include <cvx/core/segmentation.h>

namespace cvx {
namespace {

std::vector<uint8_t> box(std::array<int64_t, 3> d, std::array<int64_t, 3> lo, std::array<int64_t, 3> hi) {
  std::vector<uint8_t> m(static_cast<size_t>(d[0] * d[1] * d[2]), 0);
  for (int64_t z = lo[2]; z < hi[2]; ++z)
    for (int64_t y = lo[1]; y < hi[1]; ++y)
      for (int64_t x = lo[0]; x < hi[0]; ++x) m[static_cast<size_t>((z * d[1] + y) * d[0] + x)] = 1;
  return m;
}

Segment named(const std::string& n) {
  Segment s;
  s.name = n;
  return s;
}

TEST(SegModel, PackingPutsASegmentInTheFirstLayerWhereItOverlapsNothing) {
  const std::array<int64_t, 3> d{8, 8, 4};
  Segmentation s(d, Geometry{});
  auto a = box(d, {0, 0, 0}, {4, 4, 4});  // 64 voxels
  auto b = box(d, {4, 4, 0}, {8, 8, 2});  // disjoint from a: 32 voxels
  auto c = box(d, {2, 2, 0}, {6, 6, 1});  // overlaps a and b: 16 voxels
  auto e = box(d, {6, 0, 0}, {8, 2, 4});  // disjoint from a, b and c: 16 voxels
  ASSERT_TRUE(s.addSegment(named("a"), a.data()).ok());
  ASSERT_TRUE(s.addSegment(named("b"), b.data()).ok());
  ASSERT_TRUE(s.addSegment(named("c"), c.data()).ok());
  ASSERT_TRUE(s.addSegment(named("e"), e.data()).ok());
  ASSERT_EQ(s.layers().size(), 2u);
  // a, b and e share layer 0 with labels 1, 2, 3; c (overlapping both) opens layer 1 with label 1.
  EXPECT_EQ(s.segments()[0].layer, 0u);
  EXPECT_EQ(s.segments()[0].label, 1);
  EXPECT_EQ(s.segments()[1].layer, 0u);
  EXPECT_EQ(s.segments()[1].label, 2);
  EXPECT_EQ(s.segments()[2].layer, 1u);
  EXPECT_EQ(s.segments()[2].label, 1);
  EXPECT_EQ(s.segments()[3].layer, 0u);
  EXPECT_EQ(s.segments()[3].label, 3);
  // Numbers 1..4 in order; every mask survives the overlap exactly.
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(s.segments()[i].number, i + 1);
  EXPECT_EQ(s.mask(0), a);
  EXPECT_EQ(s.mask(1), b);
  EXPECT_EQ(s.mask(2), c);
  EXPECT_EQ(s.mask(3), e);
  EXPECT_EQ(s.voxelCount(0), 64);
  EXPECT_EQ(s.voxelCount(2), 16);
}

// A null mask is an empty segment (a new segment before its first stroke): it takes the next label
// of the first layer and no voxel, where it used to read through a null pointer; its label stays
// taken (packSegment counts the segments' labels, not only the voxels').
TEST(SegModel, ANullMaskAddsAnEmptySegment) {
  const std::array<int64_t, 3> d{8, 8, 4};
  Segmentation s(d, Geometry{});
  auto a = box(d, {0, 0, 0}, {4, 4, 4});
  ASSERT_TRUE(s.addSegment(named("a"), a.data()).ok());
  auto e = s.addSegment(named("empty"), nullptr);
  ASSERT_TRUE(e.ok()) << e.error().str();
  EXPECT_EQ(s.voxelCount(*e), 0);
  EXPECT_EQ(s.segments()[*e].layer, 0u);
  EXPECT_EQ(s.segments()[*e].label, 2);
  EXPECT_EQ(s.voxelCount(0), 64) << "the first segment is untouched";
  EXPECT_EQ(s.layers().size(), 1u);
  // The empty segment keeps its label: a disjoint segment added after it takes the next one.
  auto b = box(d, {4, 4, 0}, {8, 8, 2});
  auto k = s.addSegment(named("b"), b.data());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(s.segments()[*k].label, 3);
  EXPECT_EQ(s.voxelCount(*e), 0) << "b's voxels are not the empty segment's";
  EXPECT_EQ(s.voxelCount(*k), 32);
}

// copyWithLabels: a snapshot for another thread. Writing into the original's layers after the copy
// leaves the copy's masks as they were (the copy constructor would share the layers and see them).
TEST(SegModel, ACopyWithLabelsKeepsItsVoxelsWhenTheOriginalIsEdited) {
  const std::array<int64_t, 3> d{8, 8, 4};
  Geometry g;
  g.spacingMm = {0.5, 0.5, 2.0};
  Segmentation s(d, g);
  auto a = box(d, {0, 0, 0}, {4, 4, 4});
  auto c = box(d, {2, 2, 0}, {6, 6, 1});  // overlaps a: a second layer
  ASSERT_TRUE(s.addSegment(named("a"), a.data()).ok());
  ASSERT_TRUE(s.addSegment(named("c"), c.data()).ok());
  ASSERT_EQ(s.layers().size(), 2u);
  auto copy = s.copyWithLabels();
  ASSERT_TRUE(copy.ok()) << copy.error().str();
  const Segmentation shared = s;  // the plain copy, for contrast
  for (const auto& l : s.layers()) std::fill_n(l->as<uint8_t>(), s.voxelsPerLayer(), uint8_t{0});
  EXPECT_EQ(s.voxelCount(0), 0);
  EXPECT_EQ(shared.voxelCount(0), 0) << "the copy constructor shares the layers";
  EXPECT_EQ(copy->mask(0), a);
  EXPECT_EQ(copy->mask(1), c);
  ASSERT_EQ(copy->segments().size(), 2u);
  EXPECT_EQ(copy->segments()[1].name, "c");
  EXPECT_EQ(copy->dims(), d);
  EXPECT_DOUBLE_EQ(copy->volumeMl(0), 64 * 0.5 * 0.5 * 2.0 / 1000.0);
  for (size_t l = 0; l < 2; ++l) EXPECT_NE(copy->layers()[l].get(), s.layers()[l].get());
}

TEST(SegModel, PackSegmentOpensANewLayerWhenLabelsRunOut) {
  auto v = Volume::create(PixelType::UInt8, {4, 1, 1, 1});
  ASSERT_TRUE(v.ok());
  uint8_t* p = (*v)->as<uint8_t>();
  p[0] = 255;  // the layer already uses label 255
  const uint8_t mask[4] = {0, 1, 0, 0};
  const LayerSlot slot = packSegment({v->get()}, mask, 4);
  EXPECT_TRUE(slot.newLayer);
  EXPECT_EQ(slot.layer, 1u);
  p[0] = 7;
  const LayerSlot slot2 = packSegment({v->get()}, mask, 4);
  EXPECT_FALSE(slot2.newLayer);
  EXPECT_EQ(slot2.layer, 0u);
  EXPECT_EQ(slot2.label, 8);
}

TEST(SegModel, VolumeInMlUsesTheDeterminantOfTheVoxelToWorldMatrix) {
  Geometry g;
  g.spacingMm = {0.5, 0.5, 2.0};
  Segmentation s({10, 10, 10}, g);
  auto m = box({10, 10, 10}, {0, 0, 0}, {10, 10, 5});  // 500 voxels of 0.5 mm^3
  ASSERT_TRUE(s.addSegment({}, m.data()).ok());
  EXPECT_NEAR(s.volumeMl(0), 0.25, 1e-12);
  // A gantry-tilt grid: the stack direction leans 30 degrees towards y; a voxel is a
  // parallelepiped of base 0.25 mm^2 and height 2 cos(30) mm.
  const double t = M_PI / 6;
  s.geometry().direction[2] = {0, std::sin(t), std::cos(t)};
  s.geometry().sheared = true;
  EXPECT_NEAR(voxelVolumeMm3(s.geometry()), 0.25 * 2 * std::cos(t), 1e-12);
  EXPECT_NEAR(s.volumeMl(0), 500 * 0.5 * std::cos(t) / 1000, 1e-12);
}

TEST(SegModel, AlgorithmTypesRoundTrip) {
  for (auto a : {SegmentAlgorithm::Manual, SegmentAlgorithm::Semiautomatic, SegmentAlgorithm::Automatic}) {
    SegmentAlgorithm b = SegmentAlgorithm::Manual;
    ASSERT_TRUE(parseSegmentAlgorithm(toString(a), b));
    EXPECT_EQ(a, b);
  }
  SegmentAlgorithm b;
  EXPECT_FALSE(parseSegmentAlgorithm("SOMETIMES", b));
}

}  // namespace
}  // namespace cvx

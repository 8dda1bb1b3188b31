// SPDX-License-Identifier: MIT
// 2D transfer tables (cvx/core/transfer2d.h): bilinear lookups against node values, the envelope
// against every gradient node, and the gradient-opacity table against the formula written here.
#include <cvx/core/transfer2d.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using cvx::hd::TfNode;

TEST(TransferTable2D, BilinearBetweenNodesHeldBeyondTheEnds) {
  const int nv = 5, ng = 3;
  std::vector<TfNode> nodes(nv * ng);
  for (int k = 0; k < ng; ++k)
    for (int i = 0; i < nv; ++i) nodes[k * nv + i] = {0.1f * i, 0.2f * k, 0.5f, static_cast<float>(i + 10 * k)};
  auto t = cvx::TransferTable2D::fromNodes(nodes, nv, ng, 0, 400, 20);  // values 0,100..400; |g| 0,10,20
  ASSERT_TRUE(t.ok());
  const auto v = t->view();
  EXPECT_EQ(cvx::hd::tf2Lookup(v, 200, 10).sigma, 12.0f);
  EXPECT_NEAR(cvx::hd::tf2Lookup(v, 250, 15).sigma, (12 + 13 + 22 + 23) / 4.0, 1e-5);
  EXPECT_NEAR(cvx::hd::tf2Lookup(v, 250, 15).g, 0.3, 1e-6);
  EXPECT_EQ(cvx::hd::tf2Lookup(v, -50, -3).sigma, 0.0f);   // below both: node (0, 0)
  EXPECT_EQ(cvx::hd::tf2Lookup(v, 900, 300).sigma, 24.0f);  // above both: node (4, 2)
  // The envelope: per value node, the largest sigma over gradient magnitude, here the last row.
  const auto env = t->envelope().view();
  for (int i = 0; i < nv; ++i) EXPECT_EQ(cvx::hd::tfLookup(env, 100.0f * i).sigma, static_cast<float>(i + 20));
  for (float val = -20; val < 420; val += 7.3f)
    for (float g = 0; g < 25; g += 1.7f)
      ASSERT_GE(cvx::hd::tfLookup(env, val).sigma, cvx::hd::tf2Lookup(v, val, g).sigma - 1e-5f) << val << " " << g;
  EXPECT_FALSE(cvx::TransferTable2D::fromNodes(nodes, nv, ng, 0, 400, 0).ok());
  EXPECT_FALSE(cvx::TransferTable2D::fromNodes(nodes, nv + 1, ng, 0, 400, 20).ok());
}

TEST(TransferTable2D, GradientOpacityMultipliesTheOpacity) {
  const std::vector<cvx::TfPoint> pts = {{0, 1, 0.5f, 0.25f, 0.0f}, {1000, 1, 0.5f, 0.25f, 0.8f}};
  const std::vector<cvx::GradientPoint> grad = {{10, 0.0f}, {50, 1.0f}, {80, 0.5f}};
  const double unit = 2.0;
  auto t = cvx::buildGradientTable(pts, unit, grad, 101, 81);  // value nodes every 10, |g| nodes every 1
  ASSERT_TRUE(t.ok()) << t.error().str();
  const auto v = t->view();
  for (int i = 0; i <= 100; i += 10)
    for (int k = 0; k <= 80; k += 5) {
      const double value = 10.0 * i, g = k;
      const double a = 0.8 * value / 1000;  // the points' alpha, linear
      const double f = g <= 10 ? 0 : g <= 50 ? (g - 10) / 40 : 1 - 0.5 * (g - 50) / 30;
      const double sigma = -std::log(1 - a * f) / unit;
      EXPECT_NEAR(cvx::hd::tf2Lookup(v, float(value), float(g)).sigma, sigma, 1e-5 + 1e-5 * sigma) << value << " " << g;
      EXPECT_NEAR(cvx::hd::tf2Lookup(v, float(value), float(g)).g, 0.5, 1e-6);
    }
  for (const auto& bad : std::vector<std::vector<cvx::GradientPoint>>{{}, {{5, 1}, {4, 1}}, {{-1, 1}}, {{1, 1.5f}}}) {
    auto r = cvx::buildGradientTable(pts, unit, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "tf.bad_gradient_points");
  }
}

}  // namespace

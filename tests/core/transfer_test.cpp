// SPDX-License-Identifier: MIT
// Transfer tables (cvx/core/transfer.h) and hd/transfer.h's lookup and pre-integration, against
// values worked out here: the control points interpolated in double, Riemann sums, closed forms.
#include <cvx/core/transfer.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>

namespace {

using cvx::TfPoint;
using cvx::TransferTable;
using cvx::hd::TfNode;

// The control points' own function, in double: colour and alpha linear between points, held
// beyond the ends; the later point on a step. Returns r, g, b, alpha.
std::array<double, 4> modelAt(const std::vector<TfPoint>& pts, double v) {
  auto of = [](const TfPoint& p) { return std::array<double, 4>{p.r, p.g, p.b, p.alpha}; };
  if (v < pts.front().value) return of(pts.front());
  for (size_t k = 1; k < pts.size(); ++k) {
    if (v < pts[k].value) {
      const auto a = of(pts[k - 1]), b = of(pts[k]);
      const double t = (v - pts[k - 1].value) / (pts[k].value - pts[k - 1].value);
      return {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2]),
              a[3] + t * (b[3] - a[3])};
    }
  }
  return of(pts.back());
}

double modelSigma(double alpha, double unit) { return -std::log(1.0 - std::min(alpha, 1.0 - 1e-6)) / unit; }

// CT-like points on whole HU: with lo = -1024, hi = 3071 and 4096 nodes, node i sits at -1024 + i.
const std::vector<TfPoint> kCt = {{-1024, 0, 0, 0, 0},
                                  {-100, 0.2f, 0.1f, 0.05f, 0},
                                  {40, 0.8f, 0.3f, 0.25f, 0.15f},
                                  {300, 0.9f, 0.85f, 0.7f, 0.6f},
                                  {3071, 1, 1, 1, 0.9f}};

TransferTable build(const std::vector<TfPoint>& pts, double unit, int n = 4096) {
  auto t = cvx::buildTransferTable(pts, unit, n);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().str());
  return t.ok() ? std::move(t).value() : TransferTable{};
}

TransferTable fromNodes(std::vector<TfNode> nodes, float lo, float hi) {
  auto t = TransferTable::fromNodes(std::move(nodes), lo, hi);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().str());
  return t.ok() ? std::move(t).value() : TransferTable{};
}

void expectNode(const TfNode& got, const TfNode& want) {
  EXPECT_EQ(got.r, want.r);
  EXPECT_EQ(got.g, want.g);
  EXPECT_EQ(got.b, want.b);
  EXPECT_EQ(got.sigma, want.sigma);
}

}  // namespace

TEST(TransferTable, NodesAtControlPointsAreExact) {
  const TransferTable t = build(kCt, 1.0);
  ASSERT_EQ(t.size(), 4096);
  EXPECT_EQ(t.lo(), -1024.0f);
  EXPECT_EQ(t.hi(), 3071.0f);
  for (const TfPoint& p : kCt) {
    const TfNode& nd = t.nodes()[static_cast<size_t>(p.value + 1024)];
    EXPECT_EQ(nd.r, p.r) << p.value;
    EXPECT_EQ(nd.g, p.g) << p.value;
    EXPECT_EQ(nd.b, p.b) << p.value;
    EXPECT_NEAR(nd.sigma, modelSigma(p.alpha, 1.0), 1e-6 * modelSigma(p.alpha, 1.0)) << p.value;
  }
}

TEST(TransferTable, LinearBetweenControlPoints) {
  const double unit = 2.5;
  const TransferTable t = build(kCt, unit);
  for (int i = 0; i < t.size(); ++i) {
    const double v = -1024.0 + i;
    const auto m = modelAt(kCt, v);
    const TfNode& nd = t.nodes()[i];
    ASSERT_NEAR(nd.r, m[0], 1e-6) << v;
    ASSERT_NEAR(nd.g, m[1], 1e-6) << v;
    ASSERT_NEAR(nd.b, m[2], 1e-6) << v;
    ASSERT_NEAR(nd.sigma, modelSigma(m[3], unit), 1e-6 * modelSigma(m[3], unit) + 1e-12) << v;
  }
  // Between two control points, halfway: the average, e.g. HU 170 between 40 and 300.
  EXPECT_NEAR(t.nodes()[170 + 1024].g, 0.5 * (0.3 + 0.85), 1e-6);
}

TEST(TransferTable, SigmaIsOpacityPerUnitDistance) {
  const std::vector<TfPoint> pts = {{0, 1, 1, 1, 0.5f}, {10, 1, 1, 1, 1.0f}};
  const TransferTable t = build(pts, 2.0, 11);
  // alpha 0.5 per 2 mm: sigma = ln 2 / 2, and a 2 mm sample is again half opaque.
  EXPECT_NEAR(t.nodes()[0].sigma, std::log(2.0) / 2.0, 1e-7);
  EXPECT_NEAR(1.0 - std::exp(-t.nodes()[0].sigma * 2.0), 0.5, 1e-6);
  EXPECT_NEAR(cvx::hd::opacityOf(t.nodes()[0].sigma, 2.0f), 0.5f, 1e-6f);
  // alpha 1 is clamped to 1 - 1e-6: sigma = ln(1e6) / 2, finite.
  EXPECT_NEAR(t.nodes()[10].sigma, std::log(1e6) / 2.0, 1e-5);
  // Half a unit of alpha 0.75 (sigma = ln 4 / u) lets through sqrt(0.25).
  const TransferTable q = build({{0, 0, 0, 0, 0.75f}}, 1.0, 2);
  EXPECT_NEAR(cvx::hd::opacityOf(q.nodes()[0].sigma, 0.5f), 0.5f, 1e-6f);
}

TEST(TransferTable, IntegralMatchesRiemannSum) {
  const double unit = 1.5;
  const TransferTable t = build(kCt, unit);
  const double lo = t.lo();
  for (int i : {256, 900, 1024, 1100, 1300, 2048, 3000, 4095}) {
    const double vi = lo + i;
    const int steps = 1000000;
    const double dv = (vi - lo) / steps;
    std::array<double, 4> sum{};  // sigma*r, sigma*g, sigma*b, sigma
    for (int s = 0; s < steps; ++s) {
      const auto m = modelAt(kCt, lo + (s + 0.5) * dv);
      const double sg = modelSigma(m[3], unit);
      for (int c = 0; c < 3; ++c) sum[c] += sg * m[c] * dv;
      sum[3] += sg * dv;
    }
    const TfNode& in = t.integral()[i];
    EXPECT_NEAR(in.sigma, sum[3], 1e-4 * sum[3] + 1e-9) << i;
    EXPECT_NEAR(in.r, sum[0], 1e-4 * sum[0] + 1e-9) << i;
    EXPECT_NEAR(in.g, sum[1], 1e-4 * sum[1] + 1e-9) << i;
    EXPECT_NEAR(in.b, sum[2], 1e-4 * sum[2] + 1e-9) << i;
  }
  expectNode(t.integral()[0], TfNode{});
}

TEST(TransferLookup, EdgesNodesOutsideAndNaN) {
  const std::vector<TfNode> nodes = {{0.1f, 0.2f, 0.3f, 1},
                                     {0.4f, 0.5f, 0.6f, 2},
                                     {0.7f, 0.8f, 0.9f, 4},
                                     {1, 0, 0.5f, 8},
                                     {0, 1, 0.25f, 16}};
  const TransferTable t = fromNodes(nodes, 10, 50);
  const auto tf = t.view();
  ASSERT_EQ(tf.n, 5);
  expectNode(cvx::hd::tfLookup(tf, 10.0f), nodes[0]);
  expectNode(cvx::hd::tfLookup(tf, 50.0f), nodes[4]);
  for (int i = 1; i < 4; ++i) expectNode(cvx::hd::tfLookup(tf, 10.0f + 10.0f * i), nodes[i]);
  for (float v : {9.999f, 0.0f, -1e30f, -std::numeric_limits<float>::infinity()})
    expectNode(cvx::hd::tfLookup(tf, v), nodes[0]);
  for (float v : {50.001f, 1e30f, std::numeric_limits<float>::infinity()})
    expectNode(cvx::hd::tfLookup(tf, v), nodes[4]);
  expectNode(cvx::hd::tfLookup(tf, std::numeric_limits<float>::quiet_NaN()), nodes[0]);
  const TfNode mid = cvx::hd::tfLookup(tf, 15.0f);
  EXPECT_NEAR(mid.r, 0.25, 1e-6);
  EXPECT_NEAR(mid.sigma, 1.5, 1e-6);
}

TEST(TransferSegment, EqualEndsArePointLookups) {
  const TransferTable t = build(kCt, 1.0);
  const auto tf = t.view();
  for (float v : {-2000.0f, -1024.0f, -100.0f, 40.0f, 123.25f, 300.0f, 3071.0f, 5000.0f}) {
    const float ds = 0.6f;
    const cvx::hd::Rgba s = cvx::hd::tfSegment(tf, v, v, ds);
    const TfNode c = cvx::hd::tfLookup(tf, v);
    EXPECT_EQ(s.r, c.r) << v;
    EXPECT_EQ(s.g, c.g) << v;
    EXPECT_EQ(s.b, c.b) << v;
    EXPECT_NEAR(s.a, 1.0 - std::exp(-static_cast<double>(c.sigma) * ds), 1e-6) << v;
  }
}

TEST(TransferSegment, ConstantSigmaGivesOneMinusExp) {
  const float sigma = 0.3f;
  const TransferTable t = fromNodes(std::vector<TfNode>(64, TfNode{0.2f, 0.4f, 0.8f, sigma}), -100, 100);
  const auto tf = t.view();
  const std::array<std::pair<float, float>, 4> ends = {{{-50, 70}, {70, -50}, {-130, 140}, {-99, -98}}};
  for (auto [sf, sb] : ends) {
    for (float ds : {0.1f, 0.7f, 3.0f}) {
      const cvx::hd::Rgba s = cvx::hd::tfSegment(tf, sf, sb, ds);
      EXPECT_NEAR(s.a, 1.0 - std::exp(-0.3 * ds), 1e-5) << sf << " " << sb << " " << ds;
      EXPECT_NEAR(s.r, 0.2, 1e-5);
      EXPECT_NEAR(s.g, 0.4, 1e-5);
      EXPECT_NEAR(s.b, 0.8, 1e-5);
    }
  }
}

TEST(TransferSegment, LinearRampDepthAndColour) {
  // sigma(v) = k (v - lo), colour r(v) = (v - lo) / W: exact in a linear table.
  const double k = 0.01, lo = -100, hi = 300, W = hi - lo;
  const int n = 401;
  std::vector<TfNode> nodes(n);
  for (int i = 0; i < n; ++i) {
    const double v = lo + i * W / (n - 1);
    nodes[i] = {static_cast<float>((v - lo) / W), 0.5f, 0, static_cast<float>(k * (v - lo))};
  }
  const TransferTable t = fromNodes(nodes, lo, hi);
  const auto tf = t.view();
  const std::array<std::pair<float, float>, 4> ends = {{{-50, 250}, {250, -50}, {10, 11}, {-100, 300}}};
  for (auto [sf, sb] : ends) {
    const double ds = 0.5;
    const double depth = ds * k * ((sf + sb) / 2.0 - lo);
    const double a = std::min(sf, sb) - lo, b = std::max(sf, sb) - lo;
    const double red = 2.0 / (3.0 * W) * (b * b * b - a * a * a) / (b * b - a * a);
    const cvx::hd::Rgba s = cvx::hd::tfSegment(tf, sf, sb, static_cast<float>(ds));
    EXPECT_NEAR(s.a, 1.0 - std::exp(-depth), 1e-4 * (1.0 - std::exp(-depth))) << sf << " " << sb;
    EXPECT_NEAR(s.r, red, 1e-4 * red) << sf << " " << sb;
    EXPECT_NEAR(s.g, 0.5, 1e-5);
  }
}

// clearBelow: transparent at and below it (in the table's own lookups), within two nodes of the
// first value with sigma > 0; a ray's cursor through values below it gives the very segments the
// table gives without the shortcut.
TEST(TransferTable, ClearBelowIsTransparentAndChangesNoSegment) {
  const TransferTable t = build(kCt, 1.0);
  const auto tf = t.view();
  // kCt: sigma 0 up to -100 HU, > 0 above it.
  const float node = (tf.hi - tf.lo) / static_cast<float>(tf.n - 1);
  EXPECT_LE(tf.clearBelow, -100.0f);
  EXPECT_GE(tf.clearBelow, -100.0f - 2.01f * node);
  for (float v = -3000.0f; v <= tf.clearBelow; v += 0.37f) ASSERT_EQ(cvx::hd::tfLookup(tf, v).sigma, 0.0f) << v;
  EXPECT_GT(cvx::hd::tfLookup(tf, -100.0f + node).sigma, 0.0f);
  auto plainTf = tf;
  plainTf.clearBelow = -INFINITY;
  cvx::hd::TfCursor a, b;
  uint32_t h = 12345;
  for (int i = 0; i < 20000; ++i) {
    h = h * 1664525u + 1013904223u;
    // Runs below the floor, crossings and visible values.
    const float v = (i / 50) % 2 ? -1100.0f + static_cast<float>(h % 1000u) : -600.0f + static_cast<float>(h % 900u);
    const cvx::hd::Rgba x = cvx::hd::tfStep(tf, a, v, 0.5f), y = cvx::hd::tfStep(plainTf, b, v, 0.5f);
    ASSERT_EQ(x.a, y.a) << i;
    ASSERT_EQ(x.r, y.r) << i;
    ASSERT_EQ(x.g, y.g) << i;
    ASSERT_EQ(x.b, y.b) << i;
  }
  // Nothing visible: everything is below the floor; visible from the first node: no floor.
  EXPECT_EQ(build({{0, 1, 1, 1, 0}, {10, 1, 1, 1, 0}}, 1.0).view().clearBelow, INFINITY);
  EXPECT_EQ(build({{0, 1, 1, 1, 0.5f}, {10, 1, 1, 1, 0}}, 1.0).view().clearBelow, -INFINITY);
}

TEST(TransferTable, MaxSigmaAgainstBruteForce) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u01(0, 1);
  int zeros = 0, withNodes = 0;  // the cases the queries cover
  for (int table = 0; table < 10; ++table) {
    // Control points with runs of zero opacity, sampled into a coarse table (many intervals hold
    // no node, many several).
    std::vector<TfPoint> pts;
    double v = -500 + 1000 * u01(rng);
    for (int p = 0; p < 9; ++p) {
      v += 1 + 200 * u01(rng);
      const float a = u01(rng) < 0.5 ? 0.0f : static_cast<float>(u01(rng));
      pts.push_back({v, 0.5f, 0.5f, 0.5f, a});
    }
    const TransferTable t = build(pts, 1.0, 37);
    const auto tf = t.view();
    const double lo = t.lo(), hi = t.hi(), W = hi - lo, h = W / (t.size() - 1);
    float global = 0;
    for (const TfNode& nd : t.nodes()) global = std::max(global, nd.sigma);
    // The table's value at v in double (clamped, linear between nodes).
    auto exactAt = [&](double x) {
      const double uu = std::clamp((x - lo) / h, 0.0, t.size() - 1.0);
      const int i = std::min(static_cast<int>(uu), t.size() - 2);
      const double f = uu - i;
      return t.nodes()[i].sigma + f * (static_cast<double>(t.nodes()[i + 1].sigma) - t.nodes()[i].sigma);
    };
    for (int q = 0; q < 1000; ++q) {
      float v0 = static_cast<float>(lo - 0.1 * W + 1.2 * W * u01(rng));
      float v1 = q % 10 == 0 ? v0 : static_cast<float>(v0 + (q % 3 == 0 ? 3 * h : W) * (u01(rng) - 0.3));
      const float a = std::min(v0, v1), b = std::max(v0, v1);
      // Brute force: the float lookup at the ends and at 200 values between, and every node inside.
      float sampled = 0;
      for (int s = 0; s <= 200; ++s) {
        const float x = std::min(b, a + (b - a) * (static_cast<float>(s) / 200.0f));  // rounding stays inside
        sampled = std::max(sampled, cvx::hd::tfLookup(tf, x).sigma);
      }
      double exact = std::max(exactAt(a), exactAt(b));
      bool holdsNode = false;
      for (int i = 0; i < t.size(); ++i) {
        const double vi = lo + i * h;
        if (vi > a && vi < b) {
          exact = std::max(exact, static_cast<double>(t.nodes()[i].sigma));
          holdsNode = true;
        }
      }
      const float m = t.maxSigma(v0, v1);
      ASSERT_GE(m, sampled - 1e-6f * global) << v0 << " " << v1;
      if (sampled > 0) {
        ASSERT_GT(m, 0.0f) << v0 << " " << v1;
      }
      zeros += m == 0.0f;
      withNodes += holdsNode;
      if (holdsNode) {
        ASSERT_NEAR(m, exact, 1e-5 * global) << v0 << " " << v1;
      }
      ASSERT_LE(m, exact + 1e-4 * global) << v0 << " " << v1;  // never the whole table's maximum
    }
    EXPECT_EQ(t.maxSigma(std::numeric_limits<float>::quiet_NaN(), 0), global);
  }
  EXPECT_GT(zeros, 500) << withNodes;
  EXPECT_GT(withNodes, 2000) << zeros;
  EXPECT_EQ(TransferTable{}.maxSigma(0, 1), 0.0f);
}

TEST(TransferTable, MaxSigmaZeroOnlyWhereTransparent) {
  // Transparent up to 100, opaque from 200: values up to 100 skip, anything past 100 does not.
  const TransferTable t =
      build({{0, 0, 0, 0, 0}, {100, 0, 0, 0, 0}, {200, 1, 1, 1, 0.5f}, {400, 1, 1, 1, 0.5f}}, 1, 401);
  EXPECT_EQ(t.maxSigma(-50, 100), 0.0f);
  EXPECT_TRUE(t.transparent(20, 80));
  EXPECT_GT(t.maxSigma(50, 100.5f), 0.0f);
  EXPECT_FALSE(t.transparent(100.5f, 100.5f));
  EXPECT_NEAR(t.maxSigma(-1000, 1000), std::log(2.0), 1e-6);
  EXPECT_NEAR(t.maxSigma(150, 0), -std::log(0.75), 1e-6);  // reversed ends; alpha 0.25 at 150
  EXPECT_LT(t.maxSigma(150, 0), std::log(2.0));
}

TEST(TransferTable, StepsSinglePointsAndErrors) {
  // Equal values make a step: a node on it takes the later point.
  const TransferTable s =
      build({{0, 0, 0, 0, 0}, {10, 0, 0, 0, 0}, {10, 1, 1, 1, 0.5f}, {20, 1, 1, 1, 0.5f}}, 1, 21);
  EXPECT_EQ(s.nodes()[9].r, 0.0f);
  EXPECT_EQ(s.nodes()[10].r, 1.0f);
  // One point: lo and hi widen by 1; every node is that point.
  const TransferTable one = build({{40, 0.25f, 0.5f, 0.75f, 0.5f}}, 1, 8);
  EXPECT_EQ(one.lo(), 39.0f);
  EXPECT_EQ(one.hi(), 41.0f);
  for (const TfNode& nd : one.nodes()) EXPECT_EQ(nd.g, 0.5f);
  // A move keeps the view valid (the vectors keep their storage).
  TransferTable moved = build(kCt, 1.0);
  const TfNode* before = moved.view().nodes;
  const TransferTable kept = std::move(moved);
  EXPECT_EQ(kept.view().nodes, before);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto code = [](const auto& r) { return r.ok() ? std::string("ok") : r.error().code; };
  EXPECT_EQ(code(cvx::buildTransferTable({}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{10, 0, 0, 0, 0}, {5, 0, 0, 0, 0}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{nan, 0, 0, 0, 0}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{0, 0, 0, 0, 1.5f}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{0, 0, 0, 0, -0.1f}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{0, 2, 0, 0, 0.5f}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable({{0, 0, 0, 0, static_cast<float>(nan)}}, 1)), "tf.bad_points");
  EXPECT_EQ(code(cvx::buildTransferTable(kCt, 0)), "tf.bad_unit");
  EXPECT_EQ(code(cvx::buildTransferTable(kCt, -1)), "tf.bad_unit");
  EXPECT_EQ(code(cvx::buildTransferTable(kCt, nan)), "tf.bad_unit");
  EXPECT_EQ(code(cvx::buildTransferTable(kCt, 1, 1)), "tf.bad_table");
  EXPECT_EQ(code(TransferTable::fromNodes({TfNode{}}, 0, 1)), "tf.bad_table");
  EXPECT_EQ(code(TransferTable::fromNodes({TfNode{}, TfNode{}}, 1, 1)), "tf.bad_table");
  EXPECT_EQ(code(TransferTable::fromNodes({TfNode{}, TfNode{0, 0, 0, -1}}, 0, 1)), "tf.bad_table");
  EXPECT_EQ(code(TransferTable::fromNodes({TfNode{}, TfNode{}}, 0, 1)), "ok");
}

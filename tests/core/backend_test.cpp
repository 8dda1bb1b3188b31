// SPDX-License-Identifier: MIT
// Back-end registry with fake back ends: priority, probe fallback, CVX_BACKEND, fault marking.
#include <cvx/core/backend.h>
#include <cvx/core/log.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

class FakeBackend : public cvx::Backend {
 public:
  explicit FakeBackend(std::string n) : name_(std::move(n)) {}
  std::string name() const override { return name_; }
  cvx::BackendCapabilities capabilities() const override { return {}; }
  cvx::Result<cvx::VolumeHandle> uploadVolume(const cvx::Volume&) override { return cvx::VolumeHandle{1}; }
  cvx::Status release(cvx::VolumeHandle) override { return {}; }
  void releaseAll() override {}
  cvx::Status raycast(const cvx::RaycastJob&) override { return {}; }

 private:
  std::string name_;
};

cvx::BackendEntry fake(const std::string& name, int priority, bool probeOk, int* probeCalls = nullptr) {
  cvx::BackendEntry e;
  e.name = name;
  e.priority = priority;
  e.probe = [probeOk, probeCalls](std::string* why) {
    if (probeCalls) ++*probeCalls;
    if (!probeOk) *why = "no device";
    return probeOk;
  };
  e.factory = [name]() -> cvx::Result<std::unique_ptr<cvx::Backend>> {
    return std::unique_ptr<cvx::Backend>(std::make_unique<FakeBackend>(name));
  };
  return e;
}

// Captures log lines so that the choice can be checked to be visible.
class BackendRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("CVX_BACKEND");
    previous_ = cvx::log::level();
    cvx::log::setLevel(cvx::log::Level::Debug);
    cvx::log::setSink([this](cvx::log::Level, std::string_view m) { lines_.emplace_back(m); });
  }
  void TearDown() override {
    cvx::log::setSink(nullptr);
    cvx::log::setLevel(previous_);
    unsetenv("CVX_BACKEND");
  }
  bool logged(const std::string& needle) const {
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::string> lines_;
  cvx::log::Level previous_ = cvx::log::Level::Warn;
};

TEST_F(BackendRegistryTest, HighestPriorityUsableWinsAndIsLogged) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  ASSERT_TRUE(r.add(fake("cuda", 10, true)).ok());
  EXPECT_EQ(r.names(), (std::vector<std::string>{"cuda", "cpu"}));
  auto b = r.select("");
  ASSERT_TRUE(b.ok()) << b.error().str();
  EXPECT_EQ(b.value()->name(), "cuda");
  EXPECT_TRUE(logged("'cuda'"));
}

TEST_F(BackendRegistryTest, FailingProbeFallsBackAndRunsOnce) {
  cvx::BackendRegistry r;
  int calls = 0;
  ASSERT_TRUE(r.add(fake("cuda", 10, false, &calls)).ok());
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  for (int i = 0; i < 3; ++i) {
    auto b = r.select("");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b.value()->name(), "cpu");
  }
  EXPECT_FALSE(r.usable("cuda"));
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(logged("no device"));
}

TEST_F(BackendRegistryTest, EnvironmentOverridesPriority) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cuda", 10, true)).ok());
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  setenv("CVX_BACKEND", "cpu", 1);
  auto b = r.selectFromEnvironment();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value()->name(), "cpu");
  setenv("CVX_BACKEND", "cuda", 1);
  EXPECT_EQ(r.selectFromEnvironment().value()->name(), "cuda");
}

TEST_F(BackendRegistryTest, RequestedButUnusableFallsBackWithWarning) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cuda", 10, false)).ok());
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  setenv("CVX_BACKEND", "cuda", 1);
  auto b = r.selectFromEnvironment();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value()->name(), "cpu");
  EXPECT_TRUE(logged("requested backend 'cuda' is not usable"));
}

TEST_F(BackendRegistryTest, UnknownRequestIsAnError) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  auto b = r.select("vulkan");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "backend.unknown");
}

TEST_F(BackendRegistryTest, MarkUnusableSwitchesToCpu) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cuda", 10, true)).ok());
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  EXPECT_EQ(r.select("").value()->name(), "cuda");
  r.markUnusable("cuda", "cudaErrorIllegalAddress");
  EXPECT_FALSE(r.usable("cuda"));
  EXPECT_TRUE(r.usable("cpu"));
  EXPECT_EQ(r.select("").value()->name(), "cpu");
  EXPECT_EQ(r.select("cuda").value()->name(), "cpu");
  EXPECT_TRUE(logged("cudaErrorIllegalAddress"));
}

TEST_F(BackendRegistryTest, FailingFactoryMarksUnusableAndFallsBack) {
  cvx::BackendRegistry r;
  auto broken = fake("cuda", 10, true);
  broken.factory = []() -> cvx::Result<std::unique_ptr<cvx::Backend>> {
    return cvx::makeError("cuda.fault", "context creation failed");
  };
  ASSERT_TRUE(r.add(std::move(broken)).ok());
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  EXPECT_EQ(r.select("").value()->name(), "cpu");
  EXPECT_FALSE(r.usable("cuda"));
}

TEST_F(BackendRegistryTest, NothingUsableIsAnError) {
  cvx::BackendRegistry r;
  EXPECT_EQ(r.select("").error().code, "backend.none");
  ASSERT_TRUE(r.add(fake("cuda", 10, false)).ok());
  EXPECT_EQ(r.select("").error().code, "backend.none");
}

TEST_F(BackendRegistryTest, DuplicateAndInvalidEntriesAreRejected) {
  cvx::BackendRegistry r;
  ASSERT_TRUE(r.add(fake("cpu", 0, true)).ok());
  EXPECT_EQ(r.add(fake("cpu", 5, true)).error().code, "backend.duplicate");
  cvx::BackendEntry noFactory;
  noFactory.name = "x";
  EXPECT_EQ(r.add(noFactory).error().code, "backend.invalid");
  EXPECT_EQ(r.names().size(), 1u);
}

TEST_F(BackendRegistryTest, GlobalRegistryIsOneInstance) {
  EXPECT_EQ(&cvx::BackendRegistry::global(), &cvx::BackendRegistry::global());
}

}  // namespace

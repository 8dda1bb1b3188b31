// Errors as values with stable, dotted codes (docs/errors.md lists them all), and the one
// diagnostic type that errors, warnings and skipped files share.
#pragma once
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cvx {

// One diagnostic: what went wrong or was replaced, for errors (in a Result), warnings (on a
// series, a scan, a load or a format read) and skipped files alike.
struct Diagnostic {
  Diagnostic() = default;
  Diagnostic(std::string c, std::string m, std::string p = {})
      : code(std::move(c)), message(std::move(m)), path(std::move(p)) {}
  std::string code;     // stable machine-readable code, e.g. "dicom.truncated"
  std::string message;  // human message
  std::string path;     // where: a file path; a UID or a parameter when there is no file; or empty
  std::string str() const {
    return path.empty() ? code + ": " + message : code + ": " + message + " (" + path + ")";
  }
};

// An error is a diagnostic that ends an operation.
using Error = Diagnostic;

inline Error makeError(std::string code, std::string message, std::string path = {}) {
  return Error{std::move(code), std::move(message), std::move(path)};
}

// A small expected-like type (C++20 has no std::expected).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT(implicit)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(implicit)
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

namespace detail {
void logCheckFailure(const char* file, int line, const char* cond);
}

}  // namespace cvx

// Soft check: logs file and line, then runs `action` (usually a return of an Error).
#define CVX_CHECK(cond, action)                                  \
  do {                                                           \
    if (!(cond)) {                                               \
      ::cvx::detail::logCheckFailure(__FILE__, __LINE__, #cond); \
      action;                                                    \
    }                                                            \
  } while (0)

// Propagates an error from an expression returning Result<...>.
#define CVX_TRY(expr)                          \
  do {                                         \
    auto&& cvx_try_r_ = (expr);                \
    if (!cvx_try_r_.ok()) return cvx_try_r_.error(); \
  } while (0)

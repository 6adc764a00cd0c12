#pragma once
// Flow<T>: a lazily started C++20 coroutine. An IdP's handling of one object is a short
// conversation (look the user up, then create it; GET the group, then PATCH it), written here as
// straight-line code that co_awaits each exchange. The Runtime runs thousands of such flows at
// once over one libcurl multi handle, so per-object order holds while objects proceed together.
//
// Awaiting a Flow starts it and resumes the awaiter when it finishes (symmetric transfer, so deep
// chains do not grow the stack). Exceptions travel to the awaiter.
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace sim {

template <class T>
class Flow;

namespace detail {

struct FlowPromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> done) noexcept {
      std::coroutine_handle<> next = done.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};

template <class T>
struct FlowPromise : FlowPromiseBase {
  std::optional<T> value;
  Flow<T> get_return_object();
  void return_value(T v) { value = std::move(v); }
};

template <>
struct FlowPromise<void> : FlowPromiseBase {
  Flow<void> get_return_object();
  void return_void() {}
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Flow {
 public:
  using promise_type = detail::FlowPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Flow() = default;
  explicit Flow(Handle handle) : handle_(handle) {}
  Flow(Flow&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Flow& operator=(Flow&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Flow(const Flow&) = delete;
  Flow& operator=(const Flow&) = delete;
  ~Flow() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    if constexpr (!std::is_void_v<T>) return std::move(*handle_.promise().value);
  }

  // For the Runtime, which starts top-level flows and checks them when they finish.
  Handle handle() const { return handle_; }
  bool done() const { return !handle_ || handle_.done(); }

 private:
  Handle handle_;
};

namespace detail {
template <class T>
Flow<T> FlowPromise<T>::get_return_object() {
  return Flow<T>(std::coroutine_handle<FlowPromise<T>>::from_promise(*this));
}
inline Flow<void> FlowPromise<void>::get_return_object() {
  return Flow<void>(std::coroutine_handle<FlowPromise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace sim

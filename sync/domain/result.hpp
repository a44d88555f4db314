// The one error convention at module boundaries: a function that can fail returns Result<T> (a value, or an Error
// with a stable machine code and an operator-readable message). Exceptions may be used inside a module but are
// caught at its boundary and never cross a thread.
//
//   Result<Spool> find(...);                 // success: return spool;      failure: return Error{"not_found", "..."};
//   Result<> save(...);                      // success: return {};          (Result<> is Result<void>)
//   auto r = find(...); if (!r) show(r.error().message); else use(*r);
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace batchivo {

struct Error {
    std::string code;     // stable, machine-readable: "not_found", "invalid_input", "io", "network", ...
    std::string message;  // for the operator / the log
    bool operator==(const Error&) const = default;
};

template <class T = void>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}
    template <class U, std::enable_if_t<std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Error> &&
                                            !std::is_same_v<std::decay_t<U>, Result>,
                                        int> = 0>
    Result(U&& value) : v_(std::in_place_index<0>, T(std::forward<U>(value))) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    template <class U>
    T value_or(U&& fallback) const& {
        return ok() ? value() : T(std::forward<U>(fallback));
    }

    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(std::move(e)), ok_(false) {}
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return err_; }

private:
    Error err_;
    bool ok_ = true;
};

}  // namespace batchivo

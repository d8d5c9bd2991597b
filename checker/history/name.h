#pragma once
// Name: a short string stored once per process, such as the node an operation ran on.
//
// A history repeats a handful of node names over millions of operations; each Name is one
// pointer to the process-wide copy of its text, so an operation holds 8 bytes instead of a
// std::string's 32. Equal texts are the same copy, so equality compares pointers. The
// copies live until the process ends (there are few distinct names); interning is
// thread-safe, and a name read again on the same thread costs a short scan.

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace faultline {

class Name {
 public:
  Name();                       // ""
  Name(std::string_view text);  // NOLINT(google-explicit-constructor): a name is its text
  Name(const char* text) : Name(std::string_view(text)) {}         // NOLINT
  Name(const std::string& text) : Name(std::string_view(text)) {}  // NOLINT

  const std::string& str() const { return *text_; }
  operator const std::string&() const { return *text_; }  // NOLINT: reads as a string
  operator std::string_view() const { return *text_; }    // NOLINT
  std::string_view view() const { return *text_; }
  const char* c_str() const { return text_->c_str(); }
  bool empty() const { return text_->empty(); }
  std::size_t size() const { return text_->size(); }
  // As std::string's.
  std::size_t find(std::string_view s, std::size_t from = 0) const { return text_->find(s, from); }
  std::size_t rfind(std::string_view s, std::size_t from = std::string::npos) const {
    return text_->rfind(s, from);
  }
  std::string substr(std::size_t from, std::size_t n = std::string::npos) const {
    return text_->substr(from, n);
  }
  bool starts_with(std::string_view s) const { return view().starts_with(s); }
  bool ends_with(std::string_view s) const { return view().ends_with(s); }

  friend bool operator==(const Name& a, const Name& b) { return a.text_ == b.text_; }
  friend bool operator==(const Name& a, std::string_view b) { return *a.text_ == b; }
  friend bool operator==(const Name& a, const std::string& b) { return *a.text_ == b; }
  friend bool operator==(const Name& a, const char* b) { return *a.text_ == b; }
  friend std::strong_ordering operator<=>(const Name& a, const Name& b) {
    return *a.text_ <=> *b.text_;
  }

  friend std::string operator+(const std::string& a, const Name& b) { return a + *b.text_; }
  friend std::string operator+(const char* a, const Name& b) { return a + *b.text_; }
  friend std::string operator+(const Name& a, const std::string& b) { return *a.text_ + b; }
  friend std::string operator+(const Name& a, const char* b) { return *a.text_ + b; }
  friend std::string operator+(const Name& a, char b) { return *a.text_ + b; }
  friend std::ostream& operator<<(std::ostream& out, const Name& n) { return out << *n.text_; }

 private:
  friend struct std::hash<Name>;
  const std::string* text_;  // never null; the process-wide copy
};

}  // namespace faultline

template <>
struct std::hash<faultline::Name> {
  std::size_t operator()(const faultline::Name& n) const noexcept {
    return std::hash<const void*>()(n.text_);
  }
};

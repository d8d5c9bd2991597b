#include "checker/history/name.h"

#include <array>
#include <mutex>
#include <unordered_set>

namespace faultline {
namespace {

const std::string kEmpty;

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>()(s);
  }
};

// The process-wide copies: nodes of an unordered_set never move. Never destroyed, so a Name
// held by a static object stays valid at exit.
const std::string* pooled(std::string_view text) {
  static std::mutex& mutex = *new std::mutex;
  static auto& pool = *new std::unordered_set<std::string, TextHash, std::equal_to<>>;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = pool.find(text);
  if (it == pool.end()) it = pool.emplace(text).first;
  return &*it;
}

const std::string* intern(std::string_view text) {
  if (text.empty()) return &kEmpty;
  // The names this thread met last: a reader meets the same few over and over.
  thread_local std::array<const std::string*, 8> recent{};
  thread_local std::size_t next = 0;
  for (const std::string* s : recent) {
    if (s != nullptr && *s == text) return s;
  }
  const std::string* s = pooled(text);
  recent[next++ % recent.size()] = s;
  return s;
}

}  // namespace

Name::Name() : text_(&kEmpty) {}

Name::Name(std::string_view text) : text_(intern(text)) {}

}  // namespace faultline

#pragma once
// Writing a report file so that a reader never sees half of it: the text goes to
// PATH.tmp, which is then renamed over PATH.

#include <filesystem>
#include <string_view>

namespace faultline {

// Throws std::runtime_error naming the path that cannot be written (PATH.tmp is removed).
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace faultline

#pragma once
// InputError: a malformed input, located. The command line prints what() as-is
// ("FILE:LINE:COL: what is wrong") and exits 65; InputMissing exits 66.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace faultline {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::size_t line, std::size_t column, const std::string& problem)
      : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                           problem),
        file_(std::move(file)),
        line_(line),
        column_(column),
        problem_(problem) {}

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_;
  std::string problem_;
};

// The input file does not exist or cannot be opened.
class InputMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace faultline

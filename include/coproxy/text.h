// Text helpers for header and configuration values, on std::string_view: no copies, no heap.
//
//   for (std::string_view part : coproxy::split_list(" gzip, br ,,deflate")) ...  // gzip br deflate
//   std::string_view type = coproxy::trim(coproxy::before(content_type, ';'));
//   if (coproxy::equals_ignore_case(type, "application/json")) ...
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

namespace coproxy {

// Without the spaces and tabs at both ends (HTTP's optional whitespace, RFC 9110 §5.6.3).
constexpr std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The text before the first `delimiter`, all of it when there is none.
constexpr std::string_view before(std::string_view text, char delimiter) {
  return text.substr(0, text.find(delimiter));
}

// ASCII letters compared without case (header names, media types, tokens).
constexpr bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

// The parts of a text between its delimiters, as a range of views into it. A list split
// this way keeps every part as it is, empty ones too ("a,,b" is "a", "", "b"; "" is one empty
// part); split_list trims each and skips the empty ones.
class SplitRange {
 public:
  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;

    constexpr iterator() = default;
    constexpr std::string_view operator*() const { return part_; }
    constexpr iterator& operator++() {
      advance();
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator previous = *this;
      advance();
      return previous;
    }
    friend constexpr bool operator==(const iterator& a, const iterator& b) {
      return a.done_ == b.done_ && (a.done_ || a.part_.data() == b.part_.data());
    }

   private:
    friend class SplitRange;
    constexpr iterator(std::string_view rest, char delimiter, bool as_list)
        : rest_(rest), delimiter_(delimiter), as_list_(as_list), done_(false) {
      advance();
    }
    constexpr void advance() {
      do {
        if (at_end_) {
          done_ = true;
          return;
        }
        const size_t end = rest_.find(delimiter_);
        part_ = rest_.substr(0, end);
        at_end_ = end == std::string_view::npos;
        if (!at_end_) rest_.remove_prefix(end + 1);
        if (as_list_) part_ = trim(part_);
      } while (as_list_ && part_.empty());
    }

    std::string_view rest_;
    std::string_view part_;
    char delimiter_ = ',';
    bool as_list_ = false;
    bool at_end_ = false;
    bool done_ = true;
  };

  constexpr SplitRange(std::string_view text, char delimiter, bool as_list)
      : text_(text), delimiter_(delimiter), as_list_(as_list) {}
  constexpr iterator begin() const { return iterator(text_, delimiter_, as_list_); }
  constexpr iterator end() const { return iterator(); }

 private:
  std::string_view text_;
  char delimiter_;
  bool as_list_;
};

// Every part between `delimiter`s, as it is.
constexpr SplitRange split(std::string_view text, char delimiter) {
  return SplitRange(text, delimiter, false);
}

// A list as HTTP writes one ("gzip, br", RFC 9110 §5.6.1) or a configuration's comma list:
// each part trimmed, empty parts skipped.
constexpr SplitRange split_list(std::string_view text, char delimiter = ',') {
  return SplitRange(text, delimiter, true);
}

}  // namespace coproxy

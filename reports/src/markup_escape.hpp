// Private: escaping text for XML and HTML output (& < > " become entities),
// and for Markdown (user strings shown as plain text, code blocks whose fence
// no content can close).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace gdverify::reports::detail {

inline std::string markup_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

/// s as literal Markdown text: every ASCII punctuation character is
/// backslash-escaped (CommonMark allows it for all of them), so no backtick,
/// bracket or angle bracket in a user string starts markup.
inline std::string markdown_text(const std::string& s) {
  std::string o;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::ispunct(u)) o += '\\';
    o += c;
  }
  return o;
}

/// A fenced code block around `content`, its fence one backtick longer than
/// the longest run of backticks inside (at least three).
inline std::string markdown_code_block(const std::string& content, const std::string& language) {
  std::size_t longest = 0, run = 0;
  for (char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + language + "\n" + content + "\n" + fence + "\n";
}

}  // namespace gdverify::reports::detail

// Output that is all there or not there at all: a file is written beside its
// destination and renamed into place; a report directory is assembled in a
// temporary sibling and renamed into place only when complete.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace gdverify::reports {

/// Writes `content` to `path` atomically (temporary sibling + rename).
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// Calls fill(tmp) to populate a fresh temporary sibling directory of `dir`,
/// then replaces `dir` with it. If fill throws, the temporary directory is
/// removed, `dir` is left as it was, and the exception propagates.
void write_directory_atomically(const std::filesystem::path& dir,
                                const std::function<void(const std::filesystem::path&)>& fill);

}  // namespace gdverify::reports

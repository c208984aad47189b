// Output that belongs to gdverify, is all there or not there at all, and never
// costs a user a file. Every output of a run is planned (validated) before any
// work starts, staged in temporary siblings while the run goes on, and
// committed together at the end:
//   - a path that does not exist is created;
//   - an existing regular file is replaced only if gdverify wrote it (its
//     first 4 KiB contain kOutputMarker); a report directory only if it is
//     empty or holds the marker file kReportMarkerFile;
//   - a device, FIFO or socket (/dev/null) is written through, never renamed
//     over; /dev/stdout, /dev/stderr and /dev/fd/N are written to the open
//     descriptor itself (after the table), whatever it is (a pipe, a file);
//   - a symbolic link is followed: its target is judged and replaced, the
//     link itself stays;
//   - a report directory is replaced in one atomic step (renameat2 with
//     RENAME_EXCHANGE), so a reader sees the old report or the new one;
//   - commits into one directory are serialised by flock on that directory,
//     so concurrent runs on one output take turns instead of racing;
//   - staged temporaries are removed when the run fails, and on SIGINT,
//     SIGTERM and SIGHUP (interrupt_cleanup.hpp).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gdverify::reports {

/// The text that marks a file as gdverify's (in a JSON key, an XML or
/// Markdown comment), followed by the version.
inline constexpr const char* kOutputMarker = "written by gdverify";
/// The file that marks a directory as a gdverify report.
inline constexpr const char* kReportMarkerFile = ".gdverify-report";

/// An output path that cannot be used; the message names the option.
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& option, const std::filesystem::path& path, const std::string& reason);
};

enum class OutputKind { file, report_directory };

/// A validated output path.
struct OutputTarget {
  std::string option;               ///< the command-line option that named it, e.g. "--json"
  std::filesystem::path requested;  ///< as given
  std::filesystem::path target;     ///< what is created or replaced (symbolic links followed)
  OutputKind kind = OutputKind::file;
  bool write_through = false;  ///< a device, FIFO or socket: written in place
  int descriptor = -1;         ///< /dev/stdout, /dev/stderr, /dev/fd/N: written to this open descriptor
  bool exists = false;
};

/// Validates `path` for `option` now, before any work: the parent directory
/// exists and is writable, and an existing target may be replaced (see the
/// file comment). Throws OutputError otherwise.
OutputTarget plan_output(const std::string& option, const std::filesystem::path& path, OutputKind kind);

/// Throws OutputError when two targets name the same file.
void require_distinct(const std::vector<OutputTarget>& targets);

/// The outputs of one run: staged in temporary siblings, then committed
/// together. Destroying an uncommitted set removes what it staged.
class OutputSet {
 public:
  OutputSet();
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  /// Stages a file's content (written to a temporary now; a write-through
  /// target is only held in memory until commit).
  void add_file(const OutputTarget& target, std::string content);
  /// Stages a report directory: fill(tmp) populates a fresh temporary
  /// directory, to which the marker file is added.
  void add_directory(const OutputTarget& target,
                     const std::function<void(const std::filesystem::path&)>& fill);
  /// Locks the parent directories, validates every target again, writes the
  /// write-through targets and moves every staged temporary into place.
  /// Throws (leaving staged temporaries to the destructor) if any target can
  /// no longer be used.
  void commit();

 private:
  struct Staged;
  std::vector<std::unique_ptr<Staged>> staged_;
  bool committed_ = false;
};

/// Writes one file through a single-output set (plan, stage, commit).
void write_output_file(const std::string& option, const std::filesystem::path& path,
                       const std::string& content);

}  // namespace gdverify::reports

#include "gdverify/reports/output_files.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2 (glibc >= 2.28)
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "gdverify/reports/interrupt_cleanup.hpp"

#ifndef GDVERIFY_VERSION
#define GDVERIFY_VERSION "unknown"
#endif

namespace gdverify::reports {
namespace fs = std::filesystem;

OutputError::OutputError(const std::string& option, const fs::path& path, const std::string& reason)
    : std::runtime_error(option + " " + path.string() + ": " + reason) {}

namespace {

std::string errno_text() { return std::strerror(errno); }

fs::path parent_of(const fs::path& p) { return p.parent_path().empty() ? fs::path(".") : p.parent_path(); }

/// True when the first 4 KiB of the regular file at p contain the marker.
bool file_has_marker(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find(kOutputMarker) != std::string::npos;
}

bool directory_is_replaceable(const fs::path& d) {
  if (fs::is_empty(d)) return true;
  struct stat st {};
  return ::lstat((d / kReportMarkerFile).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// A fresh temporary sibling of `target` (created exclusively), registered for
/// removal on interrupt.
fs::path make_temporary(const fs::path& target, bool directory) {
  std::string templ =
      (parent_of(target) / ("." + target.filename().string() + ".gdverify-tmp-XXXXXX")).string();
  if (directory) {
    if (::mkdtemp(templ.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary directory beside " + target.string() + ": " +
                               errno_text());
  } else {
    const int fd = ::mkstemp(templ.data());
    if (fd < 0)
      throw std::runtime_error("cannot create a temporary file beside " + target.string() + ": " +
                               errno_text());
    // mkstemp makes 0600; an output gets the permissions a new file would get.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);
  }
  register_temporary(templ);
  return templ;
}

void write_all(int fd, const std::string& content, const fs::path& where) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot write " + where.string() + ": " + errno_text());
    done += static_cast<std::size_t>(n);
  }
}

void write_regular(const fs::path& p, const std::string& content) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw std::runtime_error("cannot write " + p.string() + ": " + errno_text());
  try {
    write_all(fd, content, p);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    ::close(fd);
    throw std::runtime_error("cannot write " + p.string() + ": " + errno_text());
  }
  if (::close(fd) != 0) throw std::runtime_error("cannot write " + p.string() + ": " + errno_text());
}

/// An exclusive flock on a directory, held for a commit.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& d) : fd_(::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + d.string() + " to lock it: " + errno_text());
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) throw std::runtime_error("cannot lock " + d.string() + ": " + errno_text());
  }
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_;
};

}  // namespace

OutputTarget plan_output(const std::string& option, const fs::path& path, OutputKind kind) {
  if (path.empty()) throw OutputError(option, path, "empty path");
  OutputTarget t{option, path, path, kind, false, false};
  struct stat lst {};
  struct stat st {};
  const bool present = ::lstat(path.c_str(), &lst) == 0;
  if (present && ::stat(path.c_str(), &st) != 0)
    throw OutputError(option, path, "a symbolic link that points nowhere (" + errno_text() + ")");
  if (present) {
    t.exists = true;
    if (S_ISLNK(lst.st_mode)) t.target = fs::canonical(path);
    if (kind == OutputKind::report_directory) {
      if (!S_ISDIR(st.st_mode)) throw OutputError(option, path, "exists and is not a directory");
      if (!directory_is_replaceable(t.target))
        throw OutputError(option, path,
                          std::string("a non-empty directory that is not a gdverify report (no ") +
                              kReportMarkerFile + "); gdverify replaces only its own reports");
    } else if (S_ISDIR(st.st_mode)) {
      throw OutputError(option, path, "is a directory");
    } else if (S_ISREG(st.st_mode)) {
      if (!file_has_marker(t.target))
        throw OutputError(option, path,
                          "an existing file that gdverify did not write; gdverify replaces only its own "
                          "outputs (remove it or choose another path)");
    } else {
      t.write_through = true;  // device, FIFO, socket
      t.target = path;
      if (::access(path.c_str(), W_OK) != 0) throw OutputError(option, path, "not writable: " + errno_text());
      return t;
    }
  }
  const fs::path parent = parent_of(t.target);
  struct stat pst {};
  if (::stat(parent.c_str(), &pst) != 0 || !S_ISDIR(pst.st_mode))
    throw OutputError(option, path, "its directory " + parent.string() + " does not exist");
  if (::access(parent.c_str(), W_OK | X_OK) != 0)
    throw OutputError(option, path, "its directory " + parent.string() + " is not writable: " + errno_text());
  return t;
}

void require_distinct(const std::vector<OutputTarget>& targets) {
  std::map<fs::path, std::string> seen;
  for (const auto& t : targets) {
    const fs::path key = fs::weakly_canonical(fs::absolute(t.target)).lexically_normal();
    if (auto it = seen.find(key); it != seen.end() && !t.write_through)
      throw OutputError(t.option, t.requested, "is also the output of " + it->second);
    seen.emplace(key, t.option);
  }
}

struct OutputSet::Staged {
  OutputTarget target;
  fs::path temporary;   ///< empty for write-through targets
  std::string content;  ///< write-through targets only
};

OutputSet::OutputSet() = default;

OutputSet::~OutputSet() {
  if (committed_) return;
  for (const auto& s : staged_)
    if (!s->temporary.empty()) {
      std::error_code ec;
      fs::remove_all(s->temporary, ec);
      unregister_temporary(s->temporary);
    }
}

void OutputSet::add_file(const OutputTarget& target, std::string content) {
  auto s = std::make_unique<Staged>();
  s->target = target;
  if (target.write_through) {
    s->content = std::move(content);
  } else {
    s->temporary = make_temporary(target.target, false);
    staged_.push_back(std::move(s));
    write_regular(staged_.back()->temporary, content);
    return;
  }
  staged_.push_back(std::move(s));
}

void OutputSet::add_directory(const OutputTarget& target, const std::function<void(const fs::path&)>& fill) {
  if (target.kind != OutputKind::report_directory || target.write_through)
    throw OutputError(target.option, target.requested, "not a directory output");
  auto s = std::make_unique<Staged>();
  s->target = target;
  s->temporary = make_temporary(target.target, true);
  staged_.push_back(std::move(s));
  const fs::path tmp = staged_.back()->temporary;
  ::chmod(
      tmp.c_str(), 0755 & ~[] {
        const mode_t m = ::umask(0);
        ::umask(m);
        return m;
      }());
  fill(tmp);
  std::ofstream marker(tmp / kReportMarkerFile);
  marker << "This directory is a report " << kOutputMarker << " " << GDVERIFY_VERSION
         << "; gdverify may replace it.\n";
  if (!marker) throw std::runtime_error("cannot write " + (tmp / kReportMarkerFile).string());
}

void OutputSet::commit() {
  std::set<fs::path> parents;
  for (const auto& s : staged_)
    if (!s->target.write_through) parents.insert(fs::weakly_canonical(parent_of(s->target.target)));
  std::vector<std::unique_ptr<DirectoryLock>> locks;
  for (const auto& p : parents) locks.push_back(std::make_unique<DirectoryLock>(p));
  // Another run may have changed a target since it was planned.
  for (const auto& s : staged_) (void)plan_output(s->target.option, s->target.requested, s->target.kind);
  // Write-through targets first: they are the ones that can still fail
  // (/dev/full), and nothing has been moved yet.
  for (const auto& s : staged_) {
    if (!s->target.write_through) continue;
    const int fd = ::open(s->target.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) throw std::runtime_error("cannot write " + s->target.target.string() + ": " + errno_text());
    try {
      write_all(fd, s->content, s->target.target);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  }
  without_interrupt_cleanup([&] {
    for (const auto& s : staged_) {
      if (s->target.write_through) continue;
      const auto& tmp = s->temporary;
      const auto& dst = s->target.target;
      if (s->target.kind == OutputKind::file) {
        if (::rename(tmp.c_str(), dst.c_str()) != 0)
          throw std::runtime_error("cannot move " + tmp.string() + " to " + dst.string() + ": " +
                                   errno_text());
        unregister_temporary(tmp);
        continue;
      }
      if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dst.c_str(), RENAME_EXCHANGE) == 0) {
        // tmp now holds the old report (validated above as gdverify's or empty).
        std::error_code ec;
        fs::remove_all(tmp, ec);
      } else if (errno == ENOENT) {
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dst.c_str(), RENAME_NOREPLACE) != 0)
          throw std::runtime_error("cannot move " + tmp.string() + " to " + dst.string() + ": " +
                                   errno_text());
      } else if (errno == EINVAL || errno == ENOSYS) {
        // A file system without RENAME_EXCHANGE: two renames (a short gap).
        const fs::path old = make_temporary(dst, true);
        fs::remove(old);
        fs::rename(dst, old);
        fs::rename(tmp, dst);
        std::error_code ec;
        fs::remove_all(old, ec);
        unregister_temporary(old);
      } else {
        throw std::runtime_error("cannot move " + tmp.string() + " to " + dst.string() + ": " + errno_text());
      }
      unregister_temporary(tmp);
    }
  });
  committed_ = true;
}

void write_output_file(const std::string& option, const fs::path& path, const std::string& content) {
  const auto t = plan_output(option, path, OutputKind::file);
  OutputSet set;
  set.add_file(t, content);
  set.commit();
}

}  // namespace gdverify::reports

#include "gdverify/reports/output_files.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2 (glibc >= 2.28)
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
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

/// The exact openings of the files gdverify writes: the marker must stand at
/// the very start, not merely occur (a README that quotes it is not ours).
const std::vector<std::string>& marked_openings() {
  static const std::vector<std::string> o = {
      std::string("{\n  \"_generator\": \"") + kOutputMarker + " ",                            // JSON
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ") + kOutputMarker + " ",  // JUnit
      std::string("<!-- ") + kOutputMarker + " "};                                             // Markdown
  return o;
}

/// True when the regular file at p begins with one of gdverify's openings.
bool file_has_marker(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  for (const auto& o : marked_openings())
    if (head.rfind(o, 0) == 0) return true;
  return false;
}

const std::string& report_marker_opening() {
  static const std::string o = std::string("This directory is a report ") + kOutputMarker + " ";
  return o;
}

/// FNV-1a (64 bit) of a file's bytes, with its size: the fingerprint the
/// marker records for each file gdverify wrote into a report. A marker that
/// anyone can type cannot vouch for files whose contents its author does not
/// know: a file of yours matches its line only if you made it byte for byte.
std::string fingerprint(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::uint64_t h = 14695981039346656037ULL, n = 0;
  std::vector<char> buf(65536);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = in.gcount();
    for (std::streamsize i = 0; i < got; ++i) {
      h ^= static_cast<unsigned char>(buf[static_cast<std::size_t>(i)]);
      h *= 1099511628211ULL;
    }
    n += static_cast<std::uint64_t>(got);
  }
  char out[64];
  std::snprintf(out, sizeof out, "%llu %016llx", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(h));
  return out;
}

/// The files a marked report directory says gdverify wrote, with their
/// fingerprints (the marker file's lines after the first: "name<TAB>size hash"),
/// or nullopt when the marker is missing or not gdverify's.
std::optional<std::map<std::string, std::string>> report_manifest(const fs::path& d) {
  struct stat st {};
  if (::lstat((d / kReportMarkerFile).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::ifstream in(d / kReportMarkerFile);
  std::string line;
  if (!std::getline(in, line) || line.rfind(report_marker_opening(), 0) != 0) return std::nullopt;
  std::map<std::string, std::string> files;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) files[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return files;
}

/// Empty, or a gdverify report holding nothing but the files its manifest
/// lists, each as gdverify wrote it (a file you added or edited is a reason to
/// refuse, never to delete).
std::string why_directory_is_not_replaceable(const fs::path& d) {
  if (fs::is_empty(d)) return "";
  const auto manifest = report_manifest(d);
  if (!manifest)
    return std::string("a non-empty directory that is not a gdverify report (no valid ") + kReportMarkerFile +
           "); gdverify replaces only its own reports";
  for (const auto& e : fs::directory_iterator(d)) {
    const std::string name = e.path().filename().string();
    if (name == kReportMarkerFile) continue;
    const auto it = manifest->find(name);
    if (it == manifest->end() || e.is_symlink() || !e.is_regular_file())
      return "holds '" + name +
             "', which gdverify did not write there; remove it or choose another directory";
    if (fingerprint(e.path()) != it->second)
      return "holds '" + name +
             "', which differs from what gdverify wrote there (edited, or not gdverify's); remove it or "
             "choose "
             "another directory";
  }
  return "";
}

/// The descriptor a path names when it is one of this process's open
/// descriptors (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1.
/// Reopening such a path would start a redirected file at offset 0 again.
int named_descriptor(const fs::path& p) {
  const std::string s = p.lexically_normal().string();
  if (s == "/dev/stdout") return 1;
  if (s == "/dev/stderr") return 2;
  for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"})
    if (s.rfind(prefix, 0) == 0 && s.size() > prefix.size() &&
        s.find_first_not_of("0123456789", prefix.size()) == std::string::npos && s.size() - prefix.size() < 6)
      return std::stoi(s.substr(prefix.size()));
  return -1;
}

/// A fresh temporary sibling of `target` (created exclusively), registered for
/// removal on interrupt.
fs::path make_temporary(const fs::path& target, bool directory) {
  std::string templ =
      (parent_of(target) / ("." + target.filename().string() + ".gdverify-tmp-XXXXXX")).string();
  // mkstemp and mkdtemp make 0600 and 0700; an output gets the permissions a
  // new file (0666) or report directory (0755) would get under the umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (directory) {
    if (::mkdtemp(templ.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary directory beside " + target.string() + ": " +
                               errno_text());
    ::chmod(templ.c_str(), 0755 & ~mask);
  } else {
    const int fd = ::mkstemp(templ.data());
    if (fd < 0)
      throw std::runtime_error("cannot create a temporary file beside " + target.string() + ": " +
                               errno_text());
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

/// An flock on a directory: exclusive for a commit, shared while a report
/// directory in it is validated (so that validation never sees a report
/// half-way through another run's exchange).
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& d, int mode = LOCK_EX)
      : fd_(::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + d.string() + " to lock it: " + errno_text());
    while (::flock(fd_, mode) != 0)
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

namespace {
OutputTarget plan_output_unlocked(const std::string& option, const fs::path& requested, OutputKind kind);
}  // namespace

OutputTarget plan_output(const std::string& option, const fs::path& requested, OutputKind kind) {
  if (kind == OutputKind::report_directory && !requested.empty()) {
    // Validate under a shared lock on the directory the commit will lock.
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(requested), ec);
    while (!ec && p.has_parent_path() && p != p.root_path() && (p.filename().empty() || p.filename() == "."))
      p = p.parent_path();
    struct stat st {};
    const fs::path parent = parent_of(p);
    if (!ec && ::stat(parent.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      const DirectoryLock lock(parent, LOCK_SH);
      return plan_output_unlocked(option, requested, kind);
    }
  }
  return plan_output_unlocked(option, requested, kind);
}

namespace {
OutputTarget plan_output_unlocked(const std::string& option, const fs::path& requested, OutputKind kind) {
  if (requested.empty()) throw OutputError(option, requested, "empty path");
  fs::path path = requested;
  if (kind == OutputKind::report_directory) {
    // "R/" and "R/." name the directory R
    while (path.has_parent_path() && path != path.root_path() &&
           (path.filename().empty() || path.filename() == "."))
      path = path.parent_path();
    if (path.filename() == ".." || path.filename() == "." || path == path.root_path())
      throw OutputError(option, requested, "name the report directory itself, not . or ..");
  } else if (path.filename().empty() || path.filename() == "." || path.filename() == "..") {
    throw OutputError(option, requested, "names a directory, not a file");
  }
  OutputTarget t;
  t.option = option;
  t.requested = requested;
  t.target = path;
  t.kind = kind;
  if (kind == OutputKind::file && (t.descriptor = named_descriptor(path)) >= 0) {
    const int flags = ::fcntl(t.descriptor, F_GETFL);
    if (flags < 0) throw OutputError(option, requested, "that descriptor is not open");
    if ((flags & O_ACCMODE) == O_RDONLY)
      throw OutputError(option, requested, "that descriptor is open for reading only");
    t.write_through = true;
    t.exists = true;
    return t;
  }
  struct stat lst {};
  struct stat st {};
  const bool present = ::lstat(path.c_str(), &lst) == 0;
  if (present && ::stat(path.c_str(), &st) != 0)
    throw OutputError(option, requested, "a symbolic link that points nowhere (" + errno_text() + ")");
  if (present) {
    t.exists = true;
    if (S_ISLNK(lst.st_mode)) t.target = fs::canonical(path);
    if (kind == OutputKind::report_directory) {
      if (!S_ISDIR(st.st_mode)) throw OutputError(option, requested, "exists and is not a directory");
      if (const auto why = why_directory_is_not_replaceable(t.target); !why.empty())
        throw OutputError(option, requested, why);
    } else if (S_ISDIR(st.st_mode)) {
      throw OutputError(option, requested, "is a directory");
    } else if (S_ISREG(st.st_mode)) {
      if (!file_has_marker(t.target))
        throw OutputError(
            option, requested,
            "an existing file that gdverify did not write (it does not begin with gdverify's "
            "marker); gdverify replaces only its own outputs (remove it or choose another path)");
    } else {
      t.write_through = true;  // device, FIFO, socket
      t.target = path;
      if (S_ISFIFO(st.st_mode)) {
        // A FIFO nobody reads would block the commit forever: require a reader now.
        const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) throw OutputError(option, requested, "a FIFO with no reader (" + errno_text() + ")");
        ::close(fd);
      } else if (::access(path.c_str(), W_OK) != 0) {
        throw OutputError(option, requested, "not writable: " + errno_text());
      }
      return t;
    }
  }
  const fs::path parent = parent_of(t.target);
  struct stat pst {};
  if (::stat(parent.c_str(), &pst) != 0 || !S_ISDIR(pst.st_mode))
    throw OutputError(option, requested, "its directory " + parent.string() + " does not exist");
  // Writable in fact, not only by its mode bits (/proc, a read-only mount): make and
  // remove a probe file where the temporaries will go.
  std::string probe = (parent / ".gdverify-probe-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0)
    throw OutputError(option, requested,
                      "cannot create files in its directory " + parent.string() + ": " + errno_text());
  ::close(fd);
  ::unlink(probe.c_str());
  return t;
}

}  // namespace

void require_distinct(const std::vector<OutputTarget>& targets) {
  std::map<fs::path, std::string> seen;
  std::map<std::pair<dev_t, ino_t>, std::string> inodes;  // hard links name one file too
  for (const auto& t : targets) {
    std::error_code ec;
    fs::path key = t.descriptor >= 0 ? fs::path("/dev/fd/" + std::to_string(t.descriptor))
                                     : fs::weakly_canonical(fs::absolute(t.target), ec).lexically_normal();
    if (ec) key = fs::absolute(t.target).lexically_normal();
    if (auto it = seen.find(key); it != seen.end())
      throw OutputError(t.option, t.requested, "is also the output of " + it->second);
    seen.emplace(key, t.option);
    struct stat st {};
    if (::stat(t.target.c_str(), &st) == 0) {
      if (auto it = inodes.find({st.st_dev, st.st_ino}); it != inodes.end())
        throw OutputError(t.option, t.requested,
                          "is the same file (a hard link) as the output of " + it->second);
      inodes.emplace(std::make_pair(st.st_dev, st.st_ino), t.option);
    }
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
  fill(tmp);
  std::ofstream marker(tmp / kReportMarkerFile);
  marker << report_marker_opening() << GDVERIFY_VERSION
         << "; gdverify may replace it while it holds only the files listed below.\n";
  for (const auto& e : fs::directory_iterator(tmp))
    if (e.path().filename() != kReportMarkerFile)
      marker << e.path().filename().string() << "\t" << fingerprint(e.path()) << "\n";
  if (!marker) throw std::runtime_error("cannot write " + (tmp / kReportMarkerFile).string());
}

void OutputSet::commit() {
  std::set<fs::path> parents;
  for (const auto& s : staged_)
    if (!s->target.write_through) parents.insert(fs::weakly_canonical(parent_of(s->target.target)));
  std::vector<std::unique_ptr<DirectoryLock>> locks;
  for (const auto& p : parents) locks.push_back(std::make_unique<DirectoryLock>(p));
  // Another run may have changed a target since it was planned.
  for (const auto& s : staged_)
    (void)plan_output_unlocked(s->target.option, s->target.requested, s->target.kind);
  // Write-through targets first: they are the ones that can still fail
  // (/dev/full), and nothing has been moved yet.
  for (const auto& s : staged_) {
    if (!s->target.write_through) continue;
    if (s->target.descriptor >= 0) {
      std::cout.flush();  // what was printed before comes first
      std::fflush(nullptr);
      write_all(s->target.descriptor, s->content, s->target.requested);
      continue;
    }
    // Non-blocking open: a FIFO whose reader went away fails instead of hanging.
    const int fd = ::open(s->target.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) throw std::runtime_error("cannot write " + s->target.target.string() + ": " + errno_text());
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
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

// The guarantees of output_files.hpp: nothing gdverify did not write is
// replaced or deleted, devices are written through, staged temporaries never
// outlive a failure, a report directory is swapped in one step, and commits
// into one directory take turns.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/output_files.hpp"

namespace gdverify::reports {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

/// A fresh scratch directory, removed afterwards.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name) : dir(fs::temp_directory_path() / ("gdverify-out-" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  [[nodiscard]] std::size_t leftovers() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
      n += e.path().filename().string().find(".gdverify-tmp-") != std::string::npos;
    return n;
  }
};

std::string marked(const std::string& body) { return std::string("<!-- ") + kOutputMarker + " -->\n" + body; }

TEST(OutputFiles, CreatesAndReplacesOnlyItsOwnFiles) {
  Scratch s("own");
  write_output_file("--json", s.dir / "r.json", marked("one"));
  EXPECT_EQ(slurp(s.dir / "r.json"), marked("one"));
  write_output_file("--json", s.dir / "r.json", marked("two"));  // ours: replaced
  EXPECT_EQ(slurp(s.dir / "r.json"), marked("two"));
  put(s.dir / "thesis.tex", "\\chapter{Five years}");
  EXPECT_THROW(write_output_file("--json", s.dir / "thesis.tex", marked("x")), OutputError);
  EXPECT_EQ(slurp(s.dir / "thesis.tex"), "\\chapter{Five years}");
  EXPECT_THROW(write_output_file("--json", s.dir, marked("x")), OutputError);  // a directory
  EXPECT_THROW(plan_output("--json", s.dir / "missing" / "r.json", OutputKind::file), OutputError);
  EXPECT_EQ(s.leftovers(), 0u);
}

TEST(OutputFiles, EveryFormatCarriesTheMarker) {
  Scratch s("formats");
  std::vector<checks::CheckResult> r(1);
  r[0].name = "x";
  write_output_file("--json", s.dir / "a.json", checks_json(r).dump(2));
  write_output_file("--junit", s.dir / "a.xml", checks_junit(r));
  write_output_file("--markdown", s.dir / "a.md", checks_markdown(r));
  for (const char* f : {"a.json", "a.xml", "a.md"}) {  // and so each can be written again
    EXPECT_NO_THROW(plan_output("--x", s.dir / f, OutputKind::file)) << f;
    EXPECT_NE(slurp(s.dir / f).substr(0, 200).find(kOutputMarker), std::string::npos) << f;
  }
}

TEST(OutputFiles, DevicesAreWrittenThroughNotReplaced) {
  const auto t = plan_output("--json", "/dev/null", OutputKind::file);
  EXPECT_TRUE(t.write_through);
  write_output_file("--json", "/dev/null", "anything");
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  // /dev/full accepts the plan, refuses the write, and stays a device
  EXPECT_THROW(write_output_file("--json", "/dev/full", "x"), std::runtime_error);
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_THROW(plan_output("--out", "/dev/full", OutputKind::report_directory), OutputError);
}

TEST(OutputFiles, SymbolicLinksAreFollowedAndKept) {
  Scratch s("links");
  write_output_file("--json", s.dir / "real.json", marked("a"));
  fs::create_symlink(s.dir / "real.json", s.dir / "link.json");
  write_output_file("--json", s.dir / "link.json", marked("b"));
  EXPECT_TRUE(fs::is_symlink(s.dir / "link.json"));
  EXPECT_EQ(slurp(s.dir / "real.json"), marked("b"));
  fs::create_symlink(s.dir / "nowhere", s.dir / "dangling.json");
  EXPECT_THROW(plan_output("--json", s.dir / "dangling.json", OutputKind::file), OutputError);
}

TEST(OutputFiles, ReportDirectoriesNeedTheMarker) {
  Scratch s("dirs");
  fs::create_directories(s.dir / "thesis");
  put(s.dir / "thesis" / "chapter1.tex", "years of work");
  EXPECT_THROW(plan_output("--out", s.dir / "thesis", OutputKind::report_directory), OutputError);
  EXPECT_TRUE(fs::exists(s.dir / "thesis" / "chapter1.tex"));
  put(s.dir / "file", "x");
  EXPECT_THROW(plan_output("--out", s.dir / "file", OutputKind::report_directory), OutputError);
  fs::create_directories(s.dir / "empty");
  EXPECT_NO_THROW(plan_output("--out", s.dir / "empty", OutputKind::report_directory));
  auto write = [&](const std::string& body) {
    const auto t = plan_output("--out", s.dir / "R", OutputKind::report_directory);
    OutputSet out;
    out.add_directory(t, [&](const fs::path& tmp) { put(tmp / "index.md", body); });
    out.commit();
  };
  write("first");
  EXPECT_TRUE(fs::exists(s.dir / "R" / kReportMarkerFile));
  write("second");  // replaced in one exchange; the old copy is gone
  EXPECT_EQ(slurp(s.dir / "R" / "index.md"), "second");
  EXPECT_EQ(s.leftovers(), 0u);
}

TEST(OutputFiles, AFailedRunLeavesNothingBehind) {
  Scratch s("fail");
  write_output_file("--json", s.dir / "old.json", marked("old"));
  {
    OutputSet out;
    out.add_file(plan_output("--json", s.dir / "old.json", OutputKind::file), marked("new"));
    EXPECT_THROW(out.add_directory(plan_output("--out", s.dir / "R", OutputKind::report_directory),
                                   [](const fs::path& tmp) {
                                     put(tmp / "half.md", "x");
                                     throw std::runtime_error("boom");
                                   }),
                 std::runtime_error);
  }  // never committed: both staged temporaries removed
  EXPECT_EQ(slurp(s.dir / "old.json"), marked("old"));
  EXPECT_FALSE(fs::exists(s.dir / "R"));
  EXPECT_EQ(s.leftovers(), 0u);
}

TEST(OutputFiles, AllOrNoneWhenATargetChangesBeforeCommit) {
  Scratch s("allornone");
  const auto a = plan_output("--json", s.dir / "a.json", OutputKind::file);
  const auto b = plan_output("--junit", s.dir / "b.xml", OutputKind::file);
  {
    OutputSet out;
    out.add_file(a, marked("a"));
    out.add_file(b, marked("b"));
    put(s.dir / "b.xml", "a user's file, made while the checks ran");
    EXPECT_THROW(out.commit(), OutputError);
  }
  EXPECT_FALSE(fs::exists(s.dir / "a.json"));
  EXPECT_EQ(slurp(s.dir / "b.xml"), "a user's file, made while the checks ran");
  EXPECT_EQ(s.leftovers(), 0u);
}

TEST(OutputFiles, TwoOutputsMayNotShareAFile) {
  Scratch s("distinct");
  std::vector<OutputTarget> t{plan_output("--json", s.dir / "x", OutputKind::file),
                              plan_output("--junit", s.dir / "." / "x", OutputKind::file)};
  EXPECT_THROW(require_distinct(t), OutputError);
}

TEST(OutputFiles, ConcurrentReportsIntoOneDirectoryTakeTurns) {
  Scratch s("concurrent");
  std::vector<std::thread> runs;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i)
    runs.emplace_back([&, i] {
      try {
        for (int k = 0; k < 5; ++k) {
          const auto t = plan_output("--out", s.dir / "R", OutputKind::report_directory);
          OutputSet out;
          out.add_directory(t, [&](const fs::path& tmp) { put(tmp / "index.md", std::to_string(i)); });
          out.commit();
        }
      } catch (...) {
        ++failures;
      }
    });
  for (auto& r : runs) r.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(fs::exists(s.dir / "R" / "index.md"));
  EXPECT_EQ(s.leftovers(), 0u);
}

}  // namespace
}  // namespace gdverify::reports

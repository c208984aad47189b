// gdverify on untrusted scenarios and output paths (the safe-input contract,
// README "Exit codes and output files"): no shell, no data loss, no abort,
// bounded resources. Every case runs the real binary with an argument vector.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {
namespace fs = std::filesystem;

struct Run {
  int status = -1;  ///< exit status, or 128 + signal
  std::string out, err;
  long max_rss_kb = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

/// Starts gdverify with `args` in `cwd`; stdout/stderr into files in `cwd`.
pid_t start(const std::vector<std::string>& args, const fs::path& cwd) {
  std::vector<std::string> argv{GDVERIFY_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> a;
  for (auto& s : argv) a.push_back(s.data());
  a.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, (cwd / ".stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, (cwd / ".stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

Run finish(pid_t pid, const fs::path& cwd) {
  Run r;
  int st = 0;
  rusage ru{};
  if (wait4(pid, &st, 0, &ru) == pid)
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : (WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1);
  r.max_rss_kb = ru.ru_maxrss;
  r.out = slurp(cwd / ".stdout");
  r.err = slurp(cwd / ".stderr");
  fs::remove(cwd / ".stdout");
  fs::remove(cwd / ".stderr");
  return r;
}

Run run(const std::vector<std::string>& args, const fs::path& cwd) { return finish(start(args, cwd), cwd); }

struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() / ("gdverify-untrusted-" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  /// Every entry under dir, recursively, as sorted relative paths.
  [[nodiscard]] std::vector<std::string> listing() const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      out.push_back(fs::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
  }
  [[nodiscard]] bool has_temporaries() const {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.path().filename().string().find(".gdverify-tmp-") != std::string::npos) return true;
    return false;
  }
};

const char* kFastCheck = "L1c.generator.ou.cfg.scenario";

TEST(UntrustedInput, InjectionThroughNameAndPathChangesNothingOutside) {
  Scratch s("inject");
  fs::create_directories(s.dir / "work");
  // gnuplot syntax in the name, and a quote in the output path
  put(s.dir / "work" / "inject.toml", "name = \"x' ; system \\\"touch PWNED\\\" ; set title '(\"\n");
  const auto before = s.listing();
  const auto r =
      run({"report", kFastCheck, "--scenario", "inject.toml", "--out", "Bob's report"}, s.dir / "work");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const auto& e : fs::recursive_directory_iterator(s.dir))
    EXPECT_EQ(e.path().filename().string().find("PWNED"), std::string::npos) << e.path();
  EXPECT_FALSE(fs::exists("PWNED"));
  EXPECT_TRUE(fs::exists(s.dir / "work" / "Bob's report" / "index.html"));
  EXPECT_TRUE(fs::exists(s.dir / "work" / "Bob's report" / "weak_error.svg"));
  // the name reached the figures as a title, not as script text
  const auto svg = slurp(s.dir / "work" / "Bob's report" / "metric_vs_w.svg");
  EXPECT_NE(svg.find("touch PWNED"), std::string::npos);
  // nothing outside the work directory changed, and no temporaries remain
  auto after = s.listing();
  std::vector<std::string> outside;
  for (const auto& p : after)
    if (p.rfind("work/Bob's report", 0) != 0) outside.push_back(p);
  EXPECT_EQ(outside, before);
  EXPECT_FALSE(s.has_temporaries());
  // a name with a newline cannot even be read
  put(s.dir / "work" / "nl.toml", "name = \"x'\\nsystem \\\"touch PWNED\\\"\\nset title '(\"\n");
  const auto nl = run({"check", kFastCheck, "--scenario", "nl.toml"}, s.dir / "work");
  EXPECT_EQ(nl.status, 2);
  EXPECT_NE(nl.err.find("name: must not contain control characters"), std::string::npos) << nl.err;
}

TEST(UntrustedInput, NeverDeletesOrReplacesWhatItDidNotMake) {
  Scratch s("dataloss");
  fs::create_directories(s.dir / "thesis");
  put(s.dir / "thesis" / "chapter1.tex", "five years");
  put(s.dir / "notes.txt", "mine");
  for (const auto& target : {"thesis", "notes.txt"}) {
    const auto r = run({"report", kFastCheck, "--out", target}, s.dir);
    EXPECT_EQ(r.status, 2) << target;
    EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  }
  const auto j = run({"check", kFastCheck, "--json", "notes.txt"}, s.dir);
  EXPECT_EQ(j.status, 2);
  EXPECT_NE(j.err.find("did not write"), std::string::npos) << j.err;
  EXPECT_EQ(slurp(s.dir / "thesis" / "chapter1.tex"), "five years");
  EXPECT_EQ(slurp(s.dir / "notes.txt"), "mine");
  // devices are written through and stay devices
  EXPECT_EQ(run({"check", kFastCheck, "--json", "/dev/null"}, s.dir).status, 0);
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(run({"report", kFastCheck, "--out", "/dev/full"}, s.dir).status, 2);
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  // its own outputs are replaced
  EXPECT_EQ(run({"check", kFastCheck, "--json", "r.json"}, s.dir).status, 0);
  EXPECT_EQ(run({"check", kFastCheck, "--json", "r.json"}, s.dir).status, 0);
  EXPECT_FALSE(s.has_temporaries());
}

TEST(UntrustedInput, TheMarkerMustOpenTheFileAndAReportHoldOnlyItsOwnFiles) {
  Scratch s("marker");
  // a file that merely quotes the marker (this project's README does) is not ours
  put(s.dir / "README.md", "# notes\nEvery file it writes carries `written by gdverify`.\n");
  EXPECT_EQ(run({"check", kFastCheck, "--json", "README.md"}, s.dir).status, 2);
  EXPECT_EQ(slurp(s.dir / "README.md"), "# notes\nEvery file it writes carries `written by gdverify`.\n");
  // a directory with an empty marker file and a user's code is not a report
  fs::create_directories(s.dir / "src");
  put(s.dir / "src" / "main.cpp", "int main() {}");
  put(s.dir / "src" / ".gdverify-report", "");
  EXPECT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "src"}, s.dir).status, 2);
  EXPECT_TRUE(fs::exists(s.dir / "src" / "main.cpp"));
  // a real report to which a user added notes is refused, and the notes stay
  ASSERT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "R"}, s.dir).status, 0);
  EXPECT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "R/"}, s.dir).status, 0);  // R/ names R
  put(s.dir / "R" / "NOTES.txt", "mine");
  const auto r = run({"report", kFastCheck, "--no-figures", "--out", "R"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("NOTES.txt"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(s.dir / "R" / "NOTES.txt"), "mine");
}

TEST(UntrustedInput, AForgedReportMarkerCannotVouchForYourFiles) {
  Scratch s("forged");
  ASSERT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "R"}, s.dir).status, 0);
  std::string first;
  {
    std::ifstream in(s.dir / "R" / ".gdverify-report");
    std::getline(in, first);
  }
  // a stranger copies a real marker's first line and lists your file in it
  fs::create_directories(s.dir / "forge");
  put(s.dir / "forge" / "thesis.tex", "five years");
  put(s.dir / "forge" / ".gdverify-report", first + "\nthesis.tex\t10 0123456789abcdef\n");
  const auto r = run({"report", kFastCheck, "--no-figures", "--out", "forge"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("thesis.tex"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(s.dir / "forge" / "thesis.tex"), "five years");
  // an edited report file is refused too
  put(s.dir / "R" / "index.md", "my edits");
  EXPECT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "R"}, s.dir).status, 2);
  EXPECT_EQ(slurp(s.dir / "R" / "index.md"), "my edits");
  // the root is not a report directory (and naming it must not hang)
  EXPECT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "/"}, s.dir).status, 2);
}

TEST(UntrustedInput, HostileTextNeverReachesTheTerminalRaw) {
  Scratch s("terminal");
  put(s.dir / "esc.toml", "\"\\u001b[2J\\u001b]0;pwn\\u0007\\nFAKE ok\" = 1\n");
  const auto r = run({"check", "--list", "--scenario", "esc.toml"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // bidirectional overrides and line separators are refused in names
  put(s.dir / "bidi.toml", "name = \"abc\\u202Edef\"\n");
  EXPECT_EQ(run({"check", "--list", "--scenario", "bidi.toml"}, s.dir).status, 2);
  // a key of 50000 dotted segments would overflow the TOML parser's stack
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "a.";
  put(s.dir / "deep.toml", deep + "b = 1\n");
  const auto d = run({"check", "--list", "--scenario", "deep.toml"}, s.dir);
  EXPECT_EQ(d.status, 2);
  EXPECT_NE(d.err.find("nested deeper"), std::string::npos) << d.err;
  // "[]" is a pattern that matches nothing, not an empty list
  EXPECT_EQ(run({"check", "--list", "[]"}, s.dir).status, 2);
}

TEST(UntrustedInput, OpenDescriptorsFifosAndEmptyPaths) {
  Scratch s("descriptors");
  // stdout redirected to a file (run() does so): /dev/stdout is written through
  const auto out = run({"check", kFastCheck, "--json", "/dev/stdout"}, s.dir);
  EXPECT_EQ(out.status, 0) << out.err;
  EXPECT_NE(out.out.find("\"_generator\""), std::string::npos);
  // a FIFO nobody reads would hang the commit: refused up front
  ASSERT_EQ(::mkfifo((s.dir / "ff").c_str(), 0600), 0);
  const auto f = run({"check", kFastCheck, "--json", "ff"}, s.dir);
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find("no reader"), std::string::npos) << f.err;
  // empty values are errors, not "no output" or "the built-in scenario"
  for (const auto& args : std::vector<std::vector<std::string>>{{"check", kFastCheck, "--json", ""},
                                                                {"report", kFastCheck, "--out", ""},
                                                                {"check", kFastCheck, "--scenario", ""}})
    EXPECT_EQ(run(args, s.dir).status, 2) << args[2];
  // a directory that cannot take files, found before the checks run
  EXPECT_EQ(run({"check", kFastCheck, "--json", "/proc/x.json"}, s.dir).status, 2);
  // a descriptor open for reading only is refused before any work
  EXPECT_EQ(run({"check", kFastCheck, "--json", "/dev/fd/0"}, s.dir).status, 2);
  // two options on one descriptor would interleave
  EXPECT_EQ(run({"check", kFastCheck, "--json", "/dev/stdout", "--junit", "/dev/stdout"}, s.dir).status, 2);
  // a hard link is the same file
  ASSERT_EQ(run({"check", kFastCheck, "--json", "a.json"}, s.dir).status, 0);
  fs::create_hard_link(s.dir / "a.json", s.dir / "hard.json");
  EXPECT_EQ(run({"check", kFastCheck, "--json", "a.json", "--junit", "hard.json"}, s.dir).status, 2);
}

TEST(UntrustedInput, OutputsAreValidatedBeforeWorkAndWrittenAllOrNone) {
  Scratch s("late");
  ASSERT_EQ(run({"check", kFastCheck, "--markdown", "old.md"}, s.dir).status, 0);
  const std::string old = slurp(s.dir / "old.md");
  const auto t0 = std::chrono::steady_clock::now();
  const auto r =
      run({"check", "--json", "ok.json", "--junit", "missing-dir/x.xml", "--markdown", "old.md"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--junit missing-dir/x.xml"), std::string::npos) << r.err;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0)
      << "refused only after running the checks";
  EXPECT_FALSE(fs::exists(s.dir / "ok.json"));
  EXPECT_EQ(slurp(s.dir / "old.md"), old);
  EXPECT_EQ(run({"check", kFastCheck, "--json", "same", "--junit", "./same"}, s.dir).status, 2);
}

TEST(UntrustedInput, AFlatRewardLeavesNoOrderToFitAndIsInconclusive) {
  Scratch s("error");
  // a reward r = 1 (zero precision, zero linear part): phi is constant, every law has
  // E[phi] = kappa, the weak errors are rounding, and no order can be fitted
  // (this threw inside the fit before; a throwing check's error verdict is
  // tested in checks_tests, RunCheck.AThrowingCheckIsAnError)
  put(s.dir / "one.toml",
      "name = \"one\"\n[[classes]]\nprior = 1.0\n[[classes.components]]\nmean = [0.0]\ncovariance = "
      "[[1.0]]\n[reward]\ncenter = [0.0]\nprecision = [[0.0]]\nlinear = [0.0]\n");
  const auto r = run({"check", "T2.weak-order.ddim.ou.reward.mixture", "L1c.generator.ou.reward.scenario",
                      "--scenario", "one.toml", "--json", "r.json", "--junit", "r.xml"},
                     s.dir);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(slurp(s.dir / "r.json"));
  ASSERT_EQ(j["checks"].size(), 2u);
  for (const auto& c : j["checks"]) {
    if (c["name"] == "L1c.generator.ou.reward.scenario") {
      EXPECT_EQ(c["verdict"], "certified");  // d = 1: the interval enclosure decides
    } else {
      EXPECT_EQ(c["verdict"], "inconclusive");
      EXPECT_NE(c["details"]["reason"].get<std::string>().find("no order to fit"), std::string::npos);
    }
  }
  EXPECT_NE(slurp(s.dir / "r.xml").find("<skipped"), std::string::npos);
  EXPECT_NE(r.out.find("1 certified, 0 passed, 0 failed, 1 inconclusive, 0 errors"), std::string::npos)
      << r.out;
}

TEST(UntrustedInput, InconclusiveFailsARunOnlyWithStrict) {
  Scratch s("strict");
  // T1.mc.digits: its w = 0 control does not reproduce kappa, so it is inconclusive
  const auto plain = run({"check", "T1.mc.digits", "--full", "--junit", "r.xml"}, s.dir);
  EXPECT_EQ(plain.status, 0) << plain.out << plain.err;
  EXPECT_NE(plain.out.find("0 passed, 0 failed, 1 inconclusive, 0 errors"), std::string::npos) << plain.out;
  EXPECT_NE(slurp(s.dir / "r.xml").find("<skipped message="), std::string::npos);
  EXPECT_EQ(run({"check", "T1.mc.digits", "--full", "--strict"}, s.dir).status, 3);
}

struct BadScenario {
  std::string text;
  std::string key;  ///< the field the message must name
};

TEST(UntrustedInput, ValidationNamesTheFieldAndRunsNothing) {
  Scratch s("validation");
  const std::string one = "[[classes]]\nprior = 1.0\n[[classes.components]]\nmean = [0.0]\n";
  const std::vector<BadScenario> cases = {
      {"[samplers]\nsteps = [4294967297]\n", "samplers.steps[0]"},
      {"[samplers]\nsteps = [0]\n", "samplers.steps[0]"},
      {"[samplers]\nnames = []\n", "samplers.names"},
      {"[samplers]\nnames = [\"ddim\", \"ddim\"]\n", "samplers.names[1]"},
      {"[schedule]\nearly_stop = 0.3\nou_horizon = 0.2\n", "schedule.early_stop"},
      {"[schedule]\nou_horizon = 1e308\n", "schedule.ou_horizon"},
      {"[schedule]\nearly_stop = 4.9e-324\n", "schedule.early_stop"},
      {"dimension = 65\n", "dimension"},
      {"[guidance]\nscales = [1.0, 1.0]\n", "guidance.scales[1]"},
      {"[guidance]\nscales = [-1.0]\n", "guidance.scales[0]"},
      {"[guidance]\nscales = [nan]\n", "guidance.scales[0]"},
      {"[monte_carlo]\npaths = 0\n", "monte_carlo.paths"},
      {"[monte_carlo]\npaths = 1000000000000\n", "monte_carlo.paths"},
      {one + "covariance = [[1e-300]]\n", "classes[0].components[0].covariance"},
      {one + "covariance = [[0.0]]\n", "classes[0].components[0].covariance"},
      {"[[classes]]\nprior = 1.0\n[[classes.components]]\nmean = [1e6]\ncovariance = [[1.0]]\n",
       "classes[0].components[0].mean"},
      {"[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [0.0]\ncovariance = [[1.0]]\n", "classes"},
      {"unknown_key = 1\n", "unknown_key"},
      {"name = \"a\\u0085b\"\n", "name"},
      {"[schedule]\nbeta_max = 1e308\n", "schedule.beta_max"},
      {"[guidance]\nscales = [1e6]\n", "guidance.scales[0]"},
      {"dimension = 2\n", "dimension"},
      {"[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [0.0]\ncovariance = [[1.0]]\n"
       "[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [0.0]\ncovariance = [[1e8]]\n",
       "classes[1].components[0].covariance"},
  };
  for (const auto& c : cases) {
    put(s.dir / "bad.toml", c.text);
    const auto r = run({"check", "--scenario", "bad.toml", "--json", "r.json"}, s.dir);
    EXPECT_EQ(r.status, 2) << c.text;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << c.text << " -> " << r.err;
    EXPECT_FALSE(fs::exists(s.dir / "r.json")) << c.text;
  }
  // not a scenario file at all
  fs::create_directories(s.dir / "adir");
  for (const auto& path : {"adir", "/dev/zero", "missing.toml"}) {
    const auto r = run({"check", "--scenario", path}, s.dir);
    EXPECT_EQ(r.status, 2) << path;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  }
  // a 2 MB scales array is refused by size, not parsed
  std::string huge = "[guidance]\nscales = [";
  while (huge.size() < (2u << 20)) huge += "1.0, ";
  put(s.dir / "huge.toml", huge + "1.0]\n");
  const auto h = run({"check", "--scenario", "huge.toml"}, s.dir);
  EXPECT_EQ(h.status, 2);
  EXPECT_NE(h.err.find("larger than"), std::string::npos) << h.err;
  // an unmatched pattern beside a valid one
  const auto p = run({"check", kFastCheck, "T9.no-such-check"}, s.dir);
  EXPECT_EQ(p.status, 2);
  EXPECT_NE(p.err.find("T9.no-such-check"), std::string::npos) << p.err;
  EXPECT_EQ(run({"eval", "--paths", "0"}, s.dir).status, 2);
  // 200 characters of two bytes each are 200 characters
  std::string e200;
  for (int i = 0; i < 200; ++i) e200 += "\xc3\xa9";
  put(s.dir / "e.toml", "name = \"" + e200 + "\"\n");
  EXPECT_EQ(run({"check", "--list", "--scenario", "e.toml"}, s.dir).status, 0);
}

TEST(UntrustedInput, MemoryIsBoundedForTheLargestScenarios) {
  Scratch s("memory");
  // d = 64 (the limit) with 64 components, about 0.5 MB of TOML
  std::string t = "name = \"big\"\ndimension = 64\n";
  std::string cov = "[";
  for (int i = 0; i < 64; ++i) {
    cov += i ? ",[" : "[";
    for (int j = 0; j < 64; ++j) cov += (j ? "," : "") + std::string(i == j ? "1" : "0");
    cov += "]";
  }
  cov += "]";
  for (int c = 0; c < 8; ++c) {
    t += "[[classes]]\nprior = 0.125\n";
    for (int k = 0; k < 8; ++k) {
      t += "[[classes.components]]\nweight = 0.125\nmean = [";
      for (int i = 0; i < 64; ++i) t += (i ? "," : "") + std::to_string((c + k) % 3);
      t += "]\ncovariance = " + cov + "\n";
    }
  }
  put(s.dir / "big.toml", t);
  const auto r = run({"check", "--scenario", "big.toml", "--list", "--full"}, s.dir);
  EXPECT_EQ(r.status, 0) << r.err;
  // one shared copy per check family: measured 71 MB; each check holding its
  // own copy would take about 120 x 2 MB more
  EXPECT_LT(r.max_rss_kb, 256 * 1024) << r.max_rss_kb << " KB";
}

TEST(UntrustedInput, NonFiniteEstimatesAreReportedAsSuch) {
  Scratch s("nonfinite");
  put(s.dir / "wild.toml",
      "[schedule]\nnames = [\"ou\"]\n[guidance]\nkind = \"cfg\"\nscales = [0.0, 1000.0]\n[samplers]\nnames = "
      "[\"euler-maruyama\"]\nsteps = [8]\n");
  const auto r = run({"eval", "--scenario", "wild.toml", "--paths", "256"}, s.dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& rows = j["monte_carlo"]["ou.cfg"]["samplers"]["euler-maruyama"];
  const auto& row = rows["w=1000"];
  // at w = 1000 (the limit) the 8-step sampler diverges: phi overflows to inf
  const auto& mean = row["E_phi"]["mean"];
  ASSERT_TRUE(mean.is_string()) << row.dump(2);
  EXPECT_TRUE(mean == "inf" || mean == "nan") << mean;
  EXPECT_TRUE(row.contains("warning"));
  EXPECT_TRUE(rows["w=0"]["E_phi"]["mean"].is_number());  // w = 0 is finite
  EXPECT_FALSE(rows["w=0"].contains("warning"));
}

TEST(UntrustedInput, CheckNamesAreUniqueWhateverTheScenarioIsCalled) {
  Scratch s("names");
  put(s.dir / "sep.toml", "name = \"separated\"\n");
  const auto r = run({"check", "--scenario", "sep.toml", "--suite", "all", "--list", "--full"}, s.dir);
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> names;
  std::istringstream in(r.out);
  // runnable checks first ("name  [problem]  description"), then "not run (n): reason" and indented names
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("not run") && !line.starts_with(" "))
      names.push_back(line.substr(0, line.find(' ')));
  ASSERT_GT(names.size(), 100u);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

TEST(UntrustedInput, AnInterruptLeavesNoTemporariesAndTheOldReport) {
  Scratch s("interrupt");
  ASSERT_EQ(run({"report", kFastCheck, "--no-figures", "--out", "R"}, s.dir).status, 0);
  const std::string old = slurp(s.dir / "R" / "index.md");
  const pid_t pid = start({"report", kFastCheck, "--out", "R"}, s.dir);
  // wait until the report is being staged (the figures take seconds), then stop it
  bool staged = false;
  for (int i = 0; i < 600 && !staged; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    staged = s.has_temporaries();
  }
  ASSERT_TRUE(staged);
  ::kill(pid, SIGTERM);
  const auto r = finish(pid, s.dir);
  EXPECT_EQ(r.status, 128 + SIGTERM);
  EXPECT_FALSE(s.has_temporaries());
  EXPECT_EQ(slurp(s.dir / "R" / "index.md"), old);
}

TEST(UntrustedInput, SamplesFilesAreReadSafelyAndBadOnesNamed) {
  Scratch s("samples");
  fs::create_directories(s.dir / "S");
  // A header that claims 2^40 rows in a 100-byte file must not allocate them.
  std::string huge = std::string("\x93NUMPY\x01\x00", 8);
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1), }";
  while ((10 + header.size() + 1) % 16 != 0) header += ' ';
  header += '\n';
  huge += static_cast<char>(header.size() & 0xff);
  huge += static_cast<char>(header.size() >> 8);
  put(s.dir / "S" / "w_1.npy", huge + header + std::string(16, '\0'));
  auto r = run({"assess", "--samples", "S", "--form", "reward", "--json", "out.json"}, s.dir);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("w_1.npy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("shape"), std::string::npos) << r.err;
  // The header claims 8 TiB; the process must not have tried to touch it. 1 GiB
  // leaves room for the sanitisers' shadow memory (about 250 MiB under ASan).
  EXPECT_LT(r.max_rss_kb, 1024 * 1024);
  EXPECT_FALSE(fs::exists(s.dir / "out.json"));
  // A name whose scale is not a number, and gamma < 1.
  fs::remove(s.dir / "S" / "w_1.npy");
  put(s.dir / "S" / "w_abc.npy", "x");
  r = run({"assess", "--samples", "S", "--form", "reward"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("w_abc.npy"), std::string::npos) << r.err;
  fs::remove(s.dir / "S" / "w_abc.npy");
  put(s.dir / "S" / "gamma_0.5.npy", "x");
  r = run({"assess", "--samples", "S", "--form", "reward"}, s.dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("gamma"), std::string::npos) << r.err;
  // Neither or both of --samples and --model.
  EXPECT_EQ(run({"assess"}, s.dir).status, 2);
  EXPECT_EQ(run({"assess", "--samples", "S", "--model", "exact"}, s.dir).status, 2);
}

TEST(UntrustedInput, TheExactScoreAsAModelPassesThroughTheCli) {
  Scratch s("model");
  const auto r = run({"assess", "--model", "exact-eps", "--form", "reward", "--sampler", "euler-maruyama",
                      "--paths", "4096", "--json", "m.json"},
                     s.dir);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(slurp(s.dir / "m.json"));
  ASSERT_EQ(j["checks"].size(), 4u);
  for (const auto& c : j["checks"]) EXPECT_EQ(c["verdict"], "pass") << c["name"];
}

}  // namespace

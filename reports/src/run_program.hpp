// Runs a program with an argument vector: no shell, no string ever parsed as
// a command line. Private to the reports layer (gnuplot for the figures).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gdverify::reports::detail {

/// Runs argv[0] (looked up in PATH) with the arguments argv[1..] in the
/// working directory `cwd`, standard input and output on /dev/null and
/// standard error into `stderr_file`, with the default signal mask and
/// dispositions. Returns the exit status, or -1 if it could not be started
/// or ended by a signal.
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                const std::filesystem::path& stderr_file);

}  // namespace gdverify::reports::detail

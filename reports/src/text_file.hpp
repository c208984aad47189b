// Private: writes a whole text file into a report's staged directory (the
// directory is private to the run, so a plain write suffices; output_files.hpp
// makes the directory itself appear atomically).
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace gdverify::reports::detail {

inline void write_text(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace gdverify::reports::detail

#include "gdverify/reports/atomic_output.hpp"

#include <fstream>
#include <random>
#include <stdexcept>

namespace gdverify::reports {
namespace fs = std::filesystem;
namespace {

fs::path temporary_sibling(const fs::path& p) {
  std::random_device rd;
  const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  return parent / ("." + p.filename().string() + ".tmp-" + std::to_string(rd()));
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content) {
  const fs::path tmp = temporary_sibling(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << content;
    out.close();
    if (!out) {
      fs::remove(tmp);
      throw std::runtime_error("cannot write " + path.string());
    }
  }
  fs::rename(tmp, path);
}

void write_directory_atomically(const fs::path& dir, const std::function<void(const fs::path&)>& fill) {
  const fs::path tmp = temporary_sibling(dir);
  fs::create_directories(tmp);
  try {
    fill(tmp);
  } catch (...) {
    fs::remove_all(tmp);
    throw;
  }
  if (fs::exists(dir)) {
    const fs::path old = temporary_sibling(dir);
    fs::rename(dir, old);
    fs::rename(tmp, dir);
    fs::remove_all(old);
  } else {
    fs::rename(tmp, dir);
  }
}

}  // namespace gdverify::reports

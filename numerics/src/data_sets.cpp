#include "gdverify/numerics/data_sets.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef GDVERIFY_DEFAULT_DATA_DIR
#define GDVERIFY_DEFAULT_DATA_DIR "data/sklearn"
#endif

namespace gdverify::numerics {
namespace {

struct FileSpec {
  const char* name;
  const char* file;
  bool header;  // sklearn's "n_samples,n_features,class names..." first line
  int dimension;
  int classes;
  std::size_t rows;
};

const FileSpec kFiles[] = {{"digits", "digits.csv", false, 64, 10, 1797},
                           {"iris", "iris.csv", true, 4, 3, 150},
                           {"wine", "wine_data.csv", true, 13, 3, 178}};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  return out;
}

}  // namespace

const std::vector<std::string>& data_set_names() {
  static const std::vector<std::string> names = {"digits", "iris", "wine"};
  return names;
}

std::string default_data_directory() {
  if (const char* env = std::getenv("GDVERIFY_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return GDVERIFY_DEFAULT_DATA_DIR;
}

DataSet load_data_set(const std::string& name, const std::string& directory) {
  const FileSpec* spec = nullptr;
  for (const auto& f : kFiles)
    if (name == f.name) spec = &f;
  if (spec == nullptr)
    throw DataSetError("data.name: unknown data set '" + name + "' (expected digits, iris or wine)");
  const std::string path = directory + "/" + spec->file;
  std::ifstream in(path);
  if (!in)
    throw DataSetError("data file " + path + " not found: run scripts/setup.sh, which extracts it from " +
                       "Debian's python3-sklearn package, or set GDVERIFY_DATA_DIR");
  DataSet d;
  d.name = name;
  d.dimension = spec->dimension;
  d.num_classes = spec->classes;
  std::string line;
  std::size_t lineno = 0;
  if (spec->header) {
    std::getline(in, line);
    ++lineno;
  }
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line == "\r") continue;
    const auto cells = split(line);
    if (cells.size() != static_cast<std::size_t>(spec->dimension + 1))
      throw DataSetError(path + ":" + std::to_string(lineno) + ": expected " +
                         std::to_string(spec->dimension + 1) + " columns, found " +
                         std::to_string(cells.size()));
    std::vector<double> x;
    try {
      for (int i = 0; i < spec->dimension; ++i) x.push_back(std::stod(cells[static_cast<std::size_t>(i)]));
      d.labels.push_back(std::stoi(cells.back()));
    } catch (const std::exception&) {
      throw DataSetError(path + ":" + std::to_string(lineno) + ": not a number");
    }
    d.points.push_back(std::move(x));
  }
  if (d.points.size() != spec->rows)
    throw DataSetError(path + ": expected " + std::to_string(spec->rows) + " rows, found " +
                       std::to_string(d.points.size()));
  return d;
}

}  // namespace gdverify::numerics

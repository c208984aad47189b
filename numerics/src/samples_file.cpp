// Reading samples directories (numerics/include/gdverify/numerics/samples_file.hpp).
#include "gdverify/numerics/samples_file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xnpy.hpp>

#include "gdverify/theory/errors.hpp"

namespace gdverify::numerics {

namespace {

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{1} << 30;

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& why) {
  throw InvalidParameter("--samples", file.filename().string() + ": " + why);
}

/// The guidance scale a file name gives, or false for a file that is not a sample array.
bool scale_of(const std::string& name, double& w) {
  std::string number;
  bool gamma = false;
  if (name.size() > 6 && name.rfind("w_", 0) == 0 && name.substr(name.size() - 4) == ".npy") {
    number = name.substr(2, name.size() - 6);
  } else if (name.size() > 10 && name.rfind("gamma_", 0) == 0 && name.substr(name.size() - 4) == ".npy") {
    number = name.substr(6, name.size() - 10);
    gamma = true;
  } else {
    return false;
  }
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != number.size() || number.empty() || !std::isfinite(v))
    throw InvalidParameter("--samples", name + ": the scale in the name is not a number");
  w = gamma ? v - 1 : v;
  if (w < 0)
    throw InvalidParameter(
        "--samples", name + (gamma ? ": guidance_scale gamma = 1 + w must be >= 1" : ": w must be >= 0"));
  return true;
}

}  // namespace

SampleArray read_npy_matrix(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) bad(file, "not a regular file");
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) bad(file, "cannot read its size");
  if (size > kMaxFileBytes) bad(file, "larger than 1 GiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) bad(file, "cannot open");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in) bad(file, "cannot read");
  // The fixed part: 6 magic bytes, 2 version bytes, the header length (2
  // bytes in version 1, 4 in version 2). The header itself is xtensor's to parse.
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) bad(file, "not a NumPy .npy file");
  const auto byte = [&](std::size_t i) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[i]));
  };
  const int major = static_cast<int>(byte(6));
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = byte(8) | (byte(9) << 8);
    offset = 10;
  } else if (major == 2 && bytes.size() >= 12) {
    header_len = byte(8) | (byte(9) << 8) | (byte(10) << 16) | (byte(11) << 24);
    offset = 12;
  } else {
    bad(file, "unsupported .npy version");
  }
  if (header_len == 0 || offset + header_len > bytes.size()) bad(file, "truncated .npy header");
  std::string descr;
  bool fortran = false;
  std::vector<std::size_t> shape;
  try {
    xt::detail::parse_header(bytes.substr(offset, header_len), descr, &fortran, shape);
  } catch (const std::exception& e) {
    bad(file, std::string("malformed .npy header: ") + e.what());
  }
  if (descr != "<f8" && descr != "<f4")
    bad(file, "dtype '" + descr + "' (expected float64 '<f8' or float32 '<f4', little-endian)");
  if (fortran) bad(file, "Fortran order (save a C-ordered array: numpy.ascontiguousarray)");
  if (shape.empty() || shape.size() > 2) bad(file, "must be a 1-D or 2-D array");
  const std::size_t word = descr == "<f8" ? 8 : 4;
  std::size_t count = 1;
  for (std::size_t s : shape) {
    if (s == 0) bad(file, "has an empty dimension");
    if (count > kMaxFileBytes / s) bad(file, "shape larger than the file");
    count *= s;
  }
  if (offset + header_len + count * word != bytes.size())
    bad(file, "its size does not match the shape in its header");
  SampleArray a;
  a.file = file.filename().string();
  a.rows = static_cast<long>(shape[0]);
  a.dimension = shape.size() == 2 ? static_cast<int>(shape[1]) : 1;
  a.values.reserve(count);
  std::istringstream stream(bytes);
  try {
    if (word == 8) {
      const auto arr = xt::load_npy<double>(stream);
      a.values.assign(arr.begin(), arr.end());
    } else {
      const auto arr = xt::load_npy<float>(stream);
      for (float v : arr) a.values.push_back(static_cast<double>(v));
    }
  } catch (const std::exception& e) {
    bad(file, std::string("cannot read the array: ") + e.what());
  }
  if (a.values.size() != count) bad(file, "read fewer values than its shape");
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (!std::isfinite(a.values[i]))
      bad(file, "the value at row " + std::to_string(i / static_cast<std::size_t>(a.dimension)) +
                    ", column " + std::to_string(i % static_cast<std::size_t>(a.dimension)) +
                    " is not finite");
  return a;
}

std::vector<SampleArray> read_samples_directory(const std::filesystem::path& directory, int dimension) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw InvalidParameter("--samples", directory.string() + ": not a directory");
  std::vector<SampleArray> out;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    double w = 0;
    if (!scale_of(entry.path().filename().string(), w)) continue;
    SampleArray a = read_npy_matrix(entry.path());
    a.w = w;
    if (a.dimension != dimension)
      bad(entry.path(), "has " + std::to_string(a.dimension) + " columns; the scenario's dimension is " +
                            std::to_string(dimension));
    if (a.rows < 2) bad(entry.path(), "needs at least 2 samples");
    out.push_back(std::move(a));
  }
  if (ec) throw InvalidParameter("--samples", directory.string() + ": cannot list: " + ec.message());
  if (out.empty())
    throw InvalidParameter("--samples", directory.string() + ": no w_<w>.npy or gamma_<g>.npy file");
  std::sort(out.begin(), out.end(), [](const SampleArray& a, const SampleArray& b) { return a.w < b.w; });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].w == out[i - 1].w)
      throw InvalidParameter("--samples", out[i - 1].file + " and " + out[i].file + " give the same w");
  return out;
}

void write_npy_matrix(const std::filesystem::path& file, const std::vector<double>& values, long rows,
                      int columns) {
  if (rows < 1 || columns < 1 || values.size() != static_cast<std::size_t>(rows * columns))
    throw InvalidParameter("values", "needs rows x columns entries");
  if (std::filesystem::exists(file)) throw InvalidParameter("file", file.string() + " exists");
  const std::vector<std::size_t> shape{static_cast<std::size_t>(rows), static_cast<std::size_t>(columns)};
  xt::dump_npy(file.string(), xt::adapt(values.data(), values.size(), xt::no_ownership(), shape));
}

}  // namespace gdverify::numerics

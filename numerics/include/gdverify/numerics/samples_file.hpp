// A directory of samples made by someone else's sampler (docs/models.md): one
// NumPy .npy array per guidance scale, named w_<w>.npy (THEORY.md's w) or
// gamma_<g>.npy (the CFG libraries' guidance_scale, w = g - 1), each n x d
// (or n for d = 1), float64 or float32, C order: the sampler's end points at
// t = delta. Rows of different files may be coupled (the same start and noise
// for row i at every w), which the caller states.
//
// The files come from strangers: each is read whole (at most 1 GiB), its
// header is parsed by xtensor's reader and checked against the file's size
// before any array is allocated, and every value must be finite. Errors are
// InvalidParameter naming the file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gdverify::numerics {

struct SampleArray {
  double w = 0;
  std::string file;  ///< the file name within the directory
  long rows = 0;
  int dimension = 0;
  std::vector<double> values;  ///< rows x dimension, row-major
};

/// Every w_*.npy / gamma_*.npy of `directory` (other files are ignored), sorted
/// by w; each must have `dimension` columns. Throws InvalidParameter for an
/// unreadable or malformed file, a repeated w, w < 0, or no array at all.
std::vector<SampleArray> read_samples_directory(const std::filesystem::path& directory, int dimension);

/// One .npy file as rows x columns doubles (a 1-D array is n x 1).
SampleArray read_npy_matrix(const std::filesystem::path& file);

/// Writes rows x columns doubles as a float64 .npy (for tests and examples);
/// the file must not exist yet.
void write_npy_matrix(const std::filesystem::path& file, const std::vector<double>& values, long rows,
                      int columns);

}  // namespace gdverify::numerics

// Real data sets as empirical mixtures (THEORY.md section 1: equal weights,
// zero covariance). The files are the CSVs that Debian's python3-sklearn
// ships (digits: 1797 x 64, 10 classes; iris: 150 x 4, 3 classes; wine:
// 178 x 13, 3 classes); scripts/setup.sh extracts them into data/sklearn.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics {

/// A data file is missing or malformed; the message names the file.
class DataSetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DataSet {
  std::string name;
  int dimension = 0;
  int num_classes = 0;
  std::vector<std::vector<double>> points;
  std::vector<int> labels;
};

/// The names load_data_set accepts.
const std::vector<std::string>& data_set_names();

/// The directory searched: $GDVERIFY_DATA_DIR if set, else the one compiled in.
std::string default_data_directory();

/// Loads "digits", "iris" or "wine" from `directory`.
DataSet load_data_set(const std::string& name, const std::string& directory = default_data_directory());

/// The empirical mixture of a data set (priors = class frequencies).
template <class Real>
MixtureModel<Real> empirical_mixture(const DataSet& data) {
  std::vector<Vector<Real>> pts;
  pts.reserve(data.points.size());
  for (const auto& p : data.points) {
    Vector<Real> v(static_cast<Eigen::Index>(p.size()));
    for (std::size_t i = 0; i < p.size(); ++i) v(static_cast<Eigen::Index>(i)) = Real(p[i]);
    pts.push_back(std::move(v));
  }
  return MixtureModel<Real>::empirical(pts, data.labels, data.num_classes);
}

}  // namespace gdverify::numerics

// The sklearn data sets load with their documented shapes, become empirical
// mixtures, and a missing file gives a message naming it.
#include <gtest/gtest.h>

#include "gdverify/numerics/data_sets.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify::numerics {
namespace {

TEST(DataSets, ShapesMatchTheDocumentedOnes) {
  const auto digits = load_data_set("digits");
  EXPECT_EQ(digits.points.size(), 1797u);
  EXPECT_EQ(digits.dimension, 64);
  EXPECT_EQ(digits.num_classes, 10);
  const auto iris = load_data_set("iris");
  EXPECT_EQ(iris.points.size(), 150u);
  EXPECT_EQ(iris.dimension, 4);
  const auto wine = load_data_set("wine");
  EXPECT_EQ(wine.points.size(), 178u);
  EXPECT_EQ(wine.dimension, 13);
  EXPECT_DOUBLE_EQ(iris.points[0][0], 5.1);
}

TEST(DataSets, EmpiricalMixtureOfIris) {
  const auto iris = load_data_set("iris");
  const auto m = empirical_mixture<double>(iris);
  EXPECT_EQ(m.components().size(), 150u);
  EXPECT_TRUE(m.degenerate());
  EXPECT_NEAR(m.prior(0), 50.0 / 150.0,
              150 * std::numeric_limits<double>::epsilon());  // 50 rounded additions
  const MixtureMarginal<double> mt(m, ForwardProcess<double>::ou(1.0), 0.5);
  Vector<double> x = Vector<double>::Constant(4, 2.0);
  double total = 0;
  for (int c = 0; c < 3; ++c) total += mt.classifier(c, x);
  EXPECT_NEAR(total, 1.0, 16 * std::numeric_limits<double>::epsilon());
}

TEST(DataSets, MissingFileNamesThePath) {
  try {
    (void)load_data_set("wine", "/nonexistent-dir");
    FAIL();
  } catch (const DataSetError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/wine_data.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("setup"), std::string::npos);
  }
  EXPECT_THROW((void)load_data_set("mnist"), DataSetError);
}

}  // namespace
}  // namespace gdverify::numerics

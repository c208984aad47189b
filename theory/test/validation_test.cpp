// Bad parameters raise InvalidParameter naming the offending field
// (brief: "bad input gets a clear error naming the field").
#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class ValidationTest : public ::testing::Test {};
TYPED_TEST_SUITE(ValidationTest, ScalarTypes);

template <class Real>
std::vector<ClassSpec<Real>> good_classes() {
  ClassSpec<Real> a{Real(1) / 2, {Real(1)}, {Vector<Real>::Zero(2)}, {Matrix<Real>::Identity(2, 2)}};
  ClassSpec<Real> b{Real(1) / 2,
                    {Real(1) / 4, Real(3) / 4},
                    {Vector<Real>::Ones(2), -Vector<Real>::Ones(2)},
                    {Matrix<Real>::Identity(2, 2), 2 * Matrix<Real>::Identity(2, 2)}};
  return {a, b};
}

template <class Real, class Mutate>
std::string field_of(Mutate mutate) {
  auto cls = good_classes<Real>();
  mutate(cls);
  try {
    (void)MixtureModel<Real>::from_classes(cls);
  } catch (const InvalidParameter& e) {
    return e.field();
  }
  return "<accepted>";
}

TYPED_TEST(ValidationTest, GoodMixtureIsAccepted) {
  using Real = TypeParam;
  EXPECT_EQ(field_of<Real>([](auto&) {}), "<accepted>");
}

TYPED_TEST(ValidationTest, CovarianceMustBeSymmetricPositiveDefinite) {
  using Real = TypeParam;
  EXPECT_EQ(field_of<Real>([](auto& c) { c[1].covariances[0](0, 1) = Real(1) / 2; }),
            "classes[1].components[0].covariance");
  EXPECT_EQ(field_of<Real>([](auto& c) { c[0].covariances[0](1, 1) = Real(-1); }),
            "classes[0].components[0].covariance");
  EXPECT_EQ(field_of<Real>([](auto& c) { c[0].covariances[0] = Matrix<Real>::Ones(2, 2); }),
            "classes[0].components[0].covariance");  // singular
  EXPECT_EQ(field_of<Real>([](auto& c) { c[1].covariances[1] = Matrix<Real>::Identity(3, 3); }),
            "classes[1].components[1].covariance");  // wrong size
}

TYPED_TEST(ValidationTest, WeightsAndPriors) {
  using Real = TypeParam;
  EXPECT_EQ(field_of<Real>([](auto& c) { c[1].weights[0] = Real(1) / 2; }), "classes[1].weights");
  EXPECT_EQ(field_of<Real>([](auto& c) { c[1].weights[0] = Real(-1) / 4; }),
            "classes[1].components[0].weight");
  EXPECT_EQ(field_of<Real>([](auto& c) { c[0].prior = Real(-1) / 2; }), "classes[0].prior");
  EXPECT_EQ(field_of<Real>([](auto& c) { c[0].prior = Real(1) / 4; }), "classes.prior");
}

TYPED_TEST(ValidationTest, NaNAnywhereIsRejected) {
  using Real = TypeParam;
  const Real nan = std::numeric_limits<Real>::quiet_NaN();
  EXPECT_EQ(field_of<Real>([&](auto& c) { c[0].prior = nan; }), "classes[0].prior");
  EXPECT_EQ(field_of<Real>([&](auto& c) { c[1].weights[1] = nan; }), "classes[1].components[1].weight");
  EXPECT_EQ(field_of<Real>([&](auto& c) { c[1].means[1](0) = nan; }), "classes[1].components[1].mean");
  EXPECT_EQ(field_of<Real>([&](auto& c) { c[0].covariances[0](0, 0) = nan; }),
            "classes[0].components[0].covariance");
  std::vector<Vector<Real>> pts = {Vector<Real>::Zero(2), Vector<Real>::Constant(2, nan)};
  try {
    (void)MixtureModel<Real>::empirical(pts, {0, 0}, 1);
    FAIL();
  } catch (const InvalidParameter& e) {
    EXPECT_EQ(e.field(), "data.points[1]");
  }
}

TYPED_TEST(ValidationTest, EmpiricalMixtureHasNoDensityAtTimeZero) {
  using Real = TypeParam;
  std::vector<Vector<Real>> pts = {Vector<Real>::Zero(1), Vector<Real>::Ones(1)};
  const auto m = MixtureModel<Real>::empirical(pts, {0, 1}, 2);
  EXPECT_THROW((MixtureMarginal<Real>(m, ForwardProcess<Real>::ou(Real(1)), Real(0))), InvalidParameter);
  const MixtureMarginal<Real> ok(m, ForwardProcess<Real>::ou(Real(1)), Real(1) / 2);
  EXPECT_TRUE(boost::math::isfinite(ok.log_density(Vector<Real>::Zero(1))));
  EXPECT_EQ(m.prior(0), Real(1) / 2);
}

}  // namespace
}  // namespace gdverify::test

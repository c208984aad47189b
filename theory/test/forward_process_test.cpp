// Forward processes (THEORY.md section 1): closed forms, the defining identity
// g^2 = (sigma^2)' - 2 f sigma^2, f = alpha'/alpha, and derivatives against
// 100-digit finite differences.
#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
std::vector<ForwardProcess<Real>> all_processes() {
  return {ForwardProcess<Real>::ou(Real(2)), ForwardProcess<Real>::vp_linear(),
          ForwardProcess<Real>::linear()};
}

template <class Real>
class ForwardProcessTest : public ::testing::Test {};
TYPED_TEST_SUITE(ForwardProcessTest, ScalarTypes);

TYPED_TEST(ForwardProcessTest, DiffusionIdentityHolds) {
  using Real = TypeParam;
  using std::abs;
  for (const auto& p : all_processes<Real>()) {
    for (int i = 1; i < 20; ++i) {
      const Real t = p.horizon() * Real(i) / Real(20);
      const Real lhs = p.g2(t);
      const Real rhs = p.dsigma2_dt(t) - 2 * p.f(t) * p.sigma2(t);
      // Three roundings in each of three terms plus exp/expm1 (<= 2 eps each).
      const Real tol = 16 * eps<Real>() * (abs(p.dsigma2_dt(t)) + abs(2 * p.f(t) * p.sigma2(t)));
      EXPECT_TRUE(within(lhs, rhs, tol)) << p.name() << " t=" << full(t);
      EXPECT_TRUE(within(Real(p.dalpha_dt(t) / p.alpha(t)), p.f(t), 8 * eps<Real>() * abs(p.f(t))));
    }
  }
}

TYPED_TEST(ForwardProcessTest, DerivativesMatchHighPrecisionDifferences) {
  using Real = TypeParam;
  using std::abs;
  const auto ps = all_processes<Real>();
  const auto hs = all_processes<Real100>();
  for (std::size_t s = 0; s < ps.size(); ++s) {
    for (int i = 1; i < 10; ++i) {
      const Real t = ps[s].horizon() * Real(i) / Real(10);
      const Real100 th = convert<Real100>(t);
      const Real100 da = central_difference([&](const Real100& u) { return hs[s].alpha(u); }, th, fd_step());
      const Real100 ds = central_difference([&](const Real100& u) { return hs[s].sigma2(u); }, th, fd_step());
      EXPECT_TRUE(within(ps[s].dalpha_dt(t), convert<Real>(da), 16 * eps<Real>() * abs(convert<Real>(da))))
          << ps[s].name();
      EXPECT_TRUE(within(ps[s].dsigma2_dt(t), convert<Real>(ds), 16 * eps<Real>() * abs(convert<Real>(ds))))
          << ps[s].name();
    }
  }
}

TYPED_TEST(ForwardProcessTest, ClosedFormValues) {
  using Real = TypeParam;
  using std::abs;
  using std::exp;
  const auto ou = ForwardProcess<Real>::ou(Real(3));
  EXPECT_TRUE(within(ou.alpha(Real(1)), Real(exp(Real(-1))), 2 * eps<Real>()));
  EXPECT_EQ(ou.g2(Real(1)), Real(2));
  const auto vp = ForwardProcess<Real>::vp_linear();
  // B(1) = 0.1 + (20 - 0.1)/2 = 10.05, alpha = exp(-5.025)
  const Real expected = exp(-(Real(1) / 10 + (Real(20) - Real(1) / 10) / 2) / 2);
  EXPECT_TRUE(within(vp.alpha(Real(1)), expected, 16 * eps<Real>() * expected));
  const auto lin = ForwardProcess<Real>::linear();
  EXPECT_EQ(lin.sigma2(Real(1) / 4), Real(1) / 4);
  EXPECT_TRUE(within(lin.alpha(Real(3) / 4), Real(1) / 2, eps<Real>()));
  // small-t accuracy of sigma^2 = 1 - e^{-2t} ~ 2t (expm1, not 1 - exp)
  const Real tiny = Real(1) / Real(1e20);
  // 1 - e^{-2t} = 2t - 2t^2 + (4/3) t^3 - ...
  EXPECT_TRUE(within(ou.sigma2(tiny), Real(2 * tiny - 2 * tiny * tiny + 4 * tiny * tiny * tiny / 3),
                     4 * eps<Real>() * 2 * tiny));
}

TYPED_TEST(ForwardProcessTest, BadParametersNameTheirField) {
  using Real = TypeParam;
  auto field_of = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const InvalidParameter& e) {
      return e.field();
    }
    return "<no error>";
  };
  EXPECT_EQ(field_of([] { (void)parse_schedule("cosine"); }), "schedule");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::ou(Real(-1)); }), "schedule.horizon");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::ou(std::numeric_limits<Real>::quiet_NaN()); }),
            "schedule.horizon");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::vp_linear(Real(-1), Real(20)); }), "schedule.beta_min");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::vp_linear(Real(5), Real(1)); }), "schedule.beta_max");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::linear().f(Real(1)); }), "t");
  EXPECT_EQ(field_of([] { (void)ForwardProcess<Real>::ou(Real(1)).alpha(Real(2)); }), "t");
  EXPECT_EQ(parse_schedule("vp-linear"), ScheduleKind::vp_linear);
}

}  // namespace
}  // namespace gdverify::test

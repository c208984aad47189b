#include "gdverify/numerics/gaussian_oracle.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <limits>

#include "gdverify/theory/errors.hpp"

// Boost.Multiprecision numbers declare a member `value_type`, which makes
// Odeint take them for containers; declare Real50 a scalar.
namespace boost::numeric::odeint::detail {
template <>
struct extract_value_type<gdverify::Real50, void> {
  typedef gdverify::Real50 type;
};
}  // namespace boost::numeric::odeint::detail

namespace gdverify::numerics {

using Real = GaussianOracle::Real;

namespace {

Real log_det_spd(const Matrix<Real>& m) {
  using std::log;
  Eigen::LLT<Matrix<Real>> llt(m);
  if (llt.info() != Eigen::Success) return std::numeric_limits<Real>::quiet_NaN();
  Real s = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i) s += 2 * log(llt.matrixLLT()(i, i));
  return s;
}

}  // namespace

GaussianOracle::GaussianOracle(const GuidanceProblem<Real>& problem, const ForwardProcess<Real>& process,
                               Real t_start, Real t_end)
    : process_(process),
      t_start_(std::move(t_start)),
      t_end_(std::move(t_end)),
      log_kappa_(problem.log_metric_scale()) {
  if (problem.base().components().size() != 1 || problem.target().components().size() != 1)
    throw InvalidParameter("data",
                           "the Gaussian oracle needs Gaussian data (one component) and a Gaussian target");
  if (problem.base().degenerate())
    throw InvalidParameter("data", "the Gaussian oracle needs a positive definite covariance");
  if (!(t_end_ < t_start_)) throw InvalidParameter("t_end", "must be < t_start");
  mu_p_ = problem.base().components()[0].mean;
  sigma_p_ = problem.base().components()[0].covariance;
  mu_q_ = problem.target().components()[0].mean;
  sigma_q_ = problem.target().components()[0].covariance;
  d_ = problem.dimension();
}

double GaussianOracle::drift_stiffness(SamplerKind kind, const Real& w, int samples) const {
  const bool sde = kind == SamplerKind::euler_maruyama || kind == SamplerKind::ddpm;
  double worst = 0;
  for (int i = 0; i < samples; ++i) {
    const Real t = t_end_ + (t_start_ - t_end_) * Real(i) / Real(samples - 1);
    const Marginal m = marginal(t);
    const Matrix<Real> a = -(1 + w) * m.p_q + w * m.p_p;
    const Real c = sde ? process_.g2(t) : process_.g2(t) / 2;
    Eigen::MatrixXd ad(d_, d_);
    for (int r = 0; r < d_; ++r)
      for (int q = 0; q < d_; ++q) ad(r, q) = static_cast<double>((a(r, q) + a(q, r)) / 2);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(ad, Eigen::EigenvaluesOnly);
    const double a_norm =
        std::max(std::abs(es.eigenvalues().minCoeff()), std::abs(es.eigenvalues().maxCoeff()));
    // |f| and c g^2 |A| each: the two terms cancel in the drift's value near the
    // noise end of `linear`, but not in the step's error terms (their time derivatives).
    double rate = std::abs(static_cast<double>(process_.f(t))) + static_cast<double>(c) * a_norm;
    if (kind == SamplerKind::ddim) {
      // DDIM steps in log-SNR lambda = log(alpha / sigma): its step is small only where
      // h |d lambda / dt| is (near the data end of ou, |d lambda / dt| ~ 1 / (2 t)).
      const Real dl =
          process_.dalpha_dt(t) / process_.alpha(t) - process_.dsigma2_dt(t) / (2 * process_.sigma2(t));
      rate = std::max(rate, std::abs(static_cast<double>(dl)));
    }
    worst = std::max(worst, rate);
  }
  return worst;
}

GaussianOracle::Marginal GaussianOracle::marginal(const Real& t) const {
  const Real a = process_.alpha(t), s2 = process_.sigma2(t);
  const Matrix<Real> eye = Matrix<Real>::Identity(d_, d_);
  Marginal m;
  m.a_p = a * mu_p_;
  m.a_q = a * mu_q_;
  const Matrix<Real> cp = (a * a) * sigma_p_ + s2 * eye, cq = (a * a) * sigma_q_ + s2 * eye;
  m.p_p = symmetric_part<Real>(cp.llt().solve(eye));
  m.p_q = symmetric_part<Real>(cq.llt().solve(eye));
  m.logdet_p_p = -log_det_spd(cp);
  m.logdet_p_q = -log_det_spd(cq);
  return m;
}

Real GaussianOracle::expected_log_metric(const GaussianLaw<Real>& law, const Real& t) const {
  const Marginal m = marginal(t);
  auto expected_quadratic = [&](const Vector<Real>& a, const Matrix<Real>& p) {
    const Vector<Real> dm = law.mean - a;
    return Real((p * law.covariance).trace() + dm.dot(p * dm));
  };
  return log_kappa_ + (m.logdet_p_p - m.logdet_p_q) / 2 - expected_quadratic(m.a_p, m.p_p) / 2 +
         expected_quadratic(m.a_q, m.p_q) / 2;
}

bool GaussianOracle::metric_variance_finite(const GaussianLaw<Real>& law, const Real& t) const {
  const Marginal m = marginal(t);
  const Matrix<Real> eye = Matrix<Real>::Identity(d_, d_);
  const Matrix<Real> lambda = symmetric_part<Real>(law.covariance.llt().solve(eye) + 2 * (m.p_p - m.p_q));
  return Eigen::LLT<Matrix<Real>>(lambda).info() == Eigen::Success;
}

GaussianLaw<Real> GaussianOracle::start() const {
  const Real a = process_.alpha(t_start_), s2 = process_.sigma2(t_start_);
  return {a * mu_q_, (a * a) * sigma_q_ + s2 * Matrix<Real>::Identity(d_, d_)};
}

namespace {

struct Tilted {
  Real expectation;  // E[phi]
  Vector<Real> mean;
  Matrix<Real> cov;
};

}  // namespace

static Tilted tilt(const GaussianLaw<Real>& law, const Vector<Real>& a_p, const Vector<Real>& a_q,
                   const Matrix<Real>& p_p, const Matrix<Real>& p_q, const Real& logdet_p_p,
                   const Real& logdet_p_q, const Real& log_kappa) {
  using std::exp;
  using std::log;
  const auto d = law.mean.size();
  const Matrix<Real> eye = Matrix<Real>::Identity(d, d);
  Eigen::LLT<Matrix<Real>> sl(law.covariance);
  const Matrix<Real> s_inv = symmetric_part<Real>(sl.solve(eye));
  const Matrix<Real> lambda = symmetric_part<Real>(s_inv + p_p - p_q);
  Eigen::LLT<Matrix<Real>> ll(lambda);
  if (ll.info() != Eigen::Success) return {std::numeric_limits<Real>::infinity(), law.mean, law.covariance};
  const Vector<Real> h = s_inv * law.mean + p_p * a_p - p_q * a_q;
  const Vector<Real> mu = ll.solve(h);
  Real logdet_lambda = 0;
  for (Eigen::Index i = 0; i < d; ++i) logdet_lambda += 2 * log(ll.matrixLLT()(i, i));
  const Real logdet_s = log_det_spd(law.covariance);
  const Real log_e = log_kappa + (logdet_p_p - logdet_p_q) / 2 - (logdet_s + logdet_lambda) / 2 +
                     h.dot(mu) / 2 - law.mean.dot(s_inv * law.mean) / 2 - a_p.dot(p_p * a_p) / 2 +
                     a_q.dot(p_q * a_q) / 2;
  return {exp(log_e), mu, symmetric_part<Real>(ll.solve(eye))};
}

Real GaussianOracle::expected_metric(const GaussianLaw<Real>& law, const Real& t) const {
  const Marginal m = marginal(t);
  return tilt(law, m.a_p, m.a_q, m.p_p, m.p_q, m.logdet_p_p, m.logdet_p_q, log_kappa_).expectation;
}

Real GaussianOracle::expected_metric_times_gap(const GaussianLaw<Real>& law, const Real& t) const {
  const Marginal m = marginal(t);
  const Tilted tl = tilt(law, m.a_p, m.a_q, m.p_p, m.p_q, m.logdet_p_p, m.logdet_p_q, log_kappa_);
  using boost::math::isinf;
  if (isinf(tl.expectation)) return tl.expectation;
  // s^r - s = -P_q (y - a_q) + P_p (y - a_p) = D y + e
  const Matrix<Real> dm = m.p_p - m.p_q;
  const Vector<Real> e = m.p_q * m.a_q - m.p_p * m.a_p;
  const Vector<Real> g = dm * tl.mean + e;
  return tl.expectation * (g.squaredNorm() + (dm * tl.cov * dm.transpose()).trace());
}

GaussianOracle::Trajectory GaussianOracle::continuous(const Real& w, bool sde, int points) const {
  namespace ode = boost::numeric::odeint;
  using State = std::vector<Real>;
  const auto d = static_cast<Eigen::Index>(d_);
  const auto n = static_cast<std::size_t>(d + d * d + 1);
  auto unpack = [d](const State& x) {
    GaussianLaw<Real> law{Vector<Real>(d), Matrix<Real>(d, d)};
    for (Eigen::Index i = 0; i < d; ++i) law.mean(i) = x[static_cast<std::size_t>(i)];
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < d; ++j) law.covariance(i, j) = x[static_cast<std::size_t>(d + i * d + j)];
    return law;
  };
  const Matrix<Real> eye = Matrix<Real>::Identity(d, d);
  auto rhs = [&](const State& x, State& dx, const Real& tau) {
    const Real t = t_start_ - tau;
    const Marginal mg = marginal(t);
    const Real f = process_.f(t), g2 = process_.g2(t);
    const Matrix<Real> a = -(1 + w) * mg.p_q + w * mg.p_p;
    const Vector<Real> b = (1 + w) * (mg.p_q * mg.a_q) - w * (mg.p_p * mg.a_p);
    const Real k = sde ? g2 : g2 / 2;
    const Matrix<Real> mm = -f * eye + k * a;
    GaussianLaw<Real> law = unpack(x);
    law.covariance = symmetric_part<Real>(law.covariance);
    const Vector<Real> dm = mm * law.mean + k * b;
    Matrix<Real> ds = mm * law.covariance + law.covariance * mm.transpose();
    if (sde) ds += g2 * eye;
    for (Eigen::Index i = 0; i < d; ++i) dx[static_cast<std::size_t>(i)] = dm(i);
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < d; ++j) dx[static_cast<std::size_t>(d + i * d + j)] = ds(i, j);
    dx[n - 1] = (sde && w != 0) ? w * g2 * expected_metric_times_gap(law, t) : Real(0);
  };
  const GaussianLaw<Real> s0 = start();
  State x(n);
  for (Eigen::Index i = 0; i < d; ++i) x[static_cast<std::size_t>(i)] = s0.mean(i);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x[static_cast<std::size_t>(d + i * d + j)] = s0.covariance(i, j);
  x[n - 1] = 0;
  std::vector<Real> taus;
  for (int i = 0; i < points; ++i) taus.push_back((t_start_ - t_end_) * Real(i) / Real(points - 1));
  Trajectory out;
  auto observer = [&](const State& xs, const Real& tau) {
    out.times.push_back(t_start_ - tau);
    GaussianLaw<Real> law = unpack(xs);
    law.covariance = symmetric_part<Real>(law.covariance);
    out.laws.push_back(law);
    out.dissipation.push_back(xs[n - 1]);
  };
  // Local error tolerance 1e-25 in 50-digit arithmetic: the laws come out good
  // to ~1e-24, fourteen decades below the 1e-10 the T1 identity is held to
  // (1e-35 gave the same 30 leading digits on THEORY.md's example, 15x slower).
  const Real tol = Real("1e-25");
  auto stepper = ode::make_controlled(tol, tol, ode::runge_kutta_fehlberg78<State, Real, State, Real>());
  ode::integrate_times(stepper, rhs, x, taus.begin(), taus.end(), (t_start_ - t_end_) / Real(1000), observer);
  return out;
}

GaussianLaw<Real> GaussianOracle::discrete(SamplerKind kind, const Real& w, int steps) const {
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  std::vector<Real> grid;
  for (int k = 0; k <= steps; ++k) grid.push_back(t_end_ + (t_start_ - t_end_) * Real(k) / Real(steps));
  return discrete_on_grid(kind, w, grid);
}

std::vector<Real50> theory_schedule_times(int steps, const Real50& c0, const Real50& c1) {
  using std::log;
  using std::pow;
  if (steps < 2) throw InvalidParameter("steps", "the theory schedule needs N >= 2");
  const Real n = Real(steps);
  const Real rate = c1 * log(n) / n;
  const Real beta1 = pow(n, -c0);
  std::vector<Real> times;
  Real log_abar = 0;
  for (int k = 1; k <= steps; ++k) {
    Real beta = beta1;
    if (k > 1) {
      const Real grown = beta1 * pow(1 + rate, Real(k - 1));
      beta = rate * (grown < 1 ? grown : Real(1));
    }
    if (!(beta > 0 && beta < 1))
      throw InvalidParameter("schedule", "theory schedule gives beta outside (0, 1)");
    log_abar += log(1 - beta);
    times.push_back(-log_abar / 2);
  }
  return times;
}

GaussianLaw<Real> GaussianOracle::discrete_on_grid(SamplerKind kind, const Real& w,
                                                   const std::vector<Real>& grid) const {
  using std::sqrt;
  if (grid.size() < 2) throw InvalidParameter("steps", "must be >= 1");
  const Matrix<Real> eye = Matrix<Real>::Identity(d_, d_);
  GaussianLaw<Real> law = start();
  const int steps = static_cast<int>(grid.size()) - 1;
  for (int k = steps; k >= 1; --k) {
    const Real tk = grid[static_cast<std::size_t>(k)], tk1 = grid[static_cast<std::size_t>(k - 1)];
    const Marginal mg = marginal(tk);
    const Matrix<Real> a = -(1 + w) * mg.p_q + w * mg.p_p;
    const Vector<Real> b = (1 + w) * (mg.p_q * mg.a_q) - w * (mg.p_p * mg.a_p);
    Matrix<Real> tm;
    Vector<Real> c;
    Real noise = 0;
    switch (kind) {
      case SamplerKind::euler_maruyama: {
        // Y <- Y + h (-f Y + g^2 s^w(Y)) + sqrt(h) g xi, drift at t_k
        const Real h = tk - tk1, f = process_.f(tk), g2 = process_.g2(tk);
        tm = eye + h * (-f * eye + g2 * a);
        c = (h * g2) * b;
        noise = h * g2;
        break;
      }
      case SamplerKind::ddpm: {
        // Y_{k-1} = (Y_k + (1 - alpha_k) s^w(Y_k)) / sqrt(alpha_k) + sqrt(1 - alpha_k) xi,
        // alpha_k = abar_k / abar_{k-1}, abar = alpha_t^2 (THEORY.md T2)
        const Real ak = process_.alpha(tk) * process_.alpha(tk) / (process_.alpha(tk1) * process_.alpha(tk1));
        const Real sq = sqrt(ak);
        tm = (eye + (1 - ak) * a) / sq;
        c = ((1 - ak) / sq) * b;
        noise = 1 - ak;
        break;
      }
      case SamplerKind::ddim: {
        // eps_hat = -sigma_k s^w, x0_hat = (Y + sigma_k^2 s^w) / alpha_k,
        // Y_{k-1} = alpha_{k-1} x0_hat + sigma_{k-1} eps_hat
        const Real r = process_.alpha(tk1) / process_.alpha(tk);
        const Real sk = sqrt(process_.sigma2(tk)), sk1 = sqrt(process_.sigma2(tk1));
        const Real c1 = r * sk * sk - sk1 * sk;
        tm = r * eye + c1 * a;
        c = c1 * b;
        break;
      }
      case SamplerKind::heun: {
        // b(t, y) = M_t y + c_t, M_t = -f I + g^2 A_t / 2, c_t = g^2 b_t / 2;
        // Y' = Y + h b(t_k, Y), Y <- Y + h/2 (b(t_k, Y) + b(t_{k-1}, Y')), i.e.
        // T = I + h/2 (M_k + M_{k-1} (I + h M_k)), c = h/2 (c_k + c_{k-1} + h M_{k-1} c_k)
        const Real h = tk - tk1;
        const Marginal m1 = marginal(tk1);
        const Matrix<Real> a1 = -(1 + w) * m1.p_q + w * m1.p_p;
        const Vector<Real> b1 = (1 + w) * (m1.p_q * m1.a_q) - w * (m1.p_p * m1.a_p);
        const Matrix<Real> mk = -process_.f(tk) * eye + (process_.g2(tk) / 2) * a;
        const Matrix<Real> mk1 = -process_.f(tk1) * eye + (process_.g2(tk1) / 2) * a1;
        const Vector<Real> ck = (process_.g2(tk) / 2) * b, ck1 = (process_.g2(tk1) / 2) * b1;
        tm = eye + (h / 2) * (mk + mk1 * (eye + h * mk));
        c = (h / 2) * (ck + ck1 + h * (mk1 * ck));
        break;
      }
    }
    law.mean = tm * law.mean + c;
    law.covariance = symmetric_part<Real>(tm * law.covariance * tm.transpose() + noise * eye);
  }
  return law;
}

}  // namespace gdverify::numerics

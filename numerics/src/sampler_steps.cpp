// The sampler step table (numerics/include/gdverify/numerics/sampler_steps.hpp).
#include "gdverify/numerics/sampler_steps.hpp"

#include <cmath>

namespace gdverify::numerics {

std::vector<SamplerStep> sampler_steps(SamplerKind sampler, const ForwardProcess<double>& process,
                                       const std::vector<double>& grid) {
  const int n = static_cast<int>(grid.size()) - 1;
  std::vector<SamplerStep> out(static_cast<std::size_t>(n > 0 ? n : 0));
  for (int st = 0; st < n; ++st) {
    const int k = n - st;
    SamplerStep& s = out[static_cast<std::size_t>(st)];
    const double tk = grid[static_cast<std::size_t>(k)], tk1 = grid[static_cast<std::size_t>(k - 1)];
    const double h = tk - tk1;
    s.h = h;
    s.t_k = tk;
    s.t_k1 = tk1;
    s.f_k = process.f(tk);
    s.g2_k = process.g2(tk);
    s.f_k1 = process.f(tk1);
    s.g2_k1 = process.g2(tk1);
    switch (sampler) {
      case SamplerKind::euler_maruyama:
        s.a = 1 - h * process.f(tk);
        s.b = h * process.g2(tk);
        s.noise = std::sqrt(h * process.g2(tk));
        break;
      case SamplerKind::ddpm: {
        const double ak = std::pow(process.alpha(tk) / process.alpha(tk1), 2);
        s.a = 1 / std::sqrt(ak);
        s.b = (1 - ak) / std::sqrt(ak);
        s.noise = std::sqrt(1 - ak);
        break;
      }
      case SamplerKind::ddim: {
        const double r = process.alpha(tk1) / process.alpha(tk);
        const double sk = std::sqrt(process.sigma2(tk)), sk1 = std::sqrt(process.sigma2(tk1));
        s.a = r;
        s.b = r * sk * sk - sk1 * sk;
        break;
      }
      case SamplerKind::heun: break;
    }
  }
  return out;
}

}  // namespace gdverify::numerics

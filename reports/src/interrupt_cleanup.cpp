#include "gdverify/reports/interrupt_cleanup.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace gdverify::reports {
namespace fs = std::filesystem;
namespace {

std::recursive_mutex& registry_mutex() {
  static std::recursive_mutex m;
  return m;
}

std::set<fs::path>& registry() {
  static std::set<fs::path> r;
  return r;
}

sigset_t interrupt_signals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGHUP);
  return s;
}

[[noreturn]] void watch() {
  const sigset_t s = interrupt_signals();
  int sig = 0;
  while (sigwait(&s, &sig) != 0) {
  }
  {
    const std::lock_guard lock(registry_mutex());
    for (const auto& p : registry()) {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
    registry().clear();
    // End with the signal's own disposition, so the parent sees it.
    ::signal(sig, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &s, nullptr);
    ::raise(sig);
  }
  _exit(128 + sig);
}

}  // namespace

void install_interrupt_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    const sigset_t s = interrupt_signals();
    pthread_sigmask(SIG_BLOCK, &s, nullptr);
    std::thread(watch).detach();
  });
}

void register_temporary(const fs::path& p) {
  const std::lock_guard lock(registry_mutex());
  registry().insert(p);
}

void unregister_temporary(const fs::path& p) {
  const std::lock_guard lock(registry_mutex());
  registry().erase(p);
}

namespace detail {
void lock_temporaries() { registry_mutex().lock(); }
void unlock_temporaries() { registry_mutex().unlock(); }
}  // namespace detail

}  // namespace gdverify::reports

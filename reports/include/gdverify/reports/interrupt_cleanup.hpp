// Temporary outputs that must not outlive an interrupted run. The staged
// temporaries of an OutputSet are registered here; install_interrupt_cleanup()
// blocks SIGINT, SIGTERM and SIGHUP in every thread and leaves them to one
// watcher thread, which removes what is registered and then ends the process
// with the same signal (so the caller sees the usual 128 + n status).
// Running the cleanup on a thread of its own, not in a signal handler, lets it
// use ordinary file-system calls safely.
#pragma once

#include <filesystem>

namespace gdverify::reports {

/// Call once at the start of main, before any thread is started (threads
/// inherit the blocked mask). Idempotent.
void install_interrupt_cleanup();

/// Registers a temporary file or directory to remove on interrupt.
void register_temporary(const std::filesystem::path& p);
/// Forgets a temporary (moved into place, or removed by its owner).
void unregister_temporary(const std::filesystem::path& p);

/// Runs f while no interrupt cleanup can run (commits hold this, so an
/// interrupt sees each output either staged or in place).
template <class F>
void without_interrupt_cleanup(F&& f);

namespace detail {
void lock_temporaries();
void unlock_temporaries();
}  // namespace detail

template <class F>
void without_interrupt_cleanup(F&& f) {
  detail::lock_temporaries();
  try {
    f();
  } catch (...) {
    detail::unlock_temporaries();
    throw;
  }
  detail::unlock_temporaries();
}

}  // namespace gdverify::reports

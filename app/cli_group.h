// The CLI's side of a data-parallel launch (torchrun, srun): joins the group the launcher's
// variables describe, and quiets every rank but rank 0 (which alone logs, shows progress and
// writes files).
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <memory>

namespace imblab {

class Communicator;

// Adds --dist-timeout to a command; the value lands in `seconds`.
void addGroupFlags(CLI::App& cmd, int& seconds);

// The launched group this process belongs to, or null when it runs alone. In a group, SIGINT and
// SIGTERM are taken by one waiting thread instead of interrupting whichever thread they land on
// (a Gloo transport thread in a system call would fail with EINTR); they set the stop flag.
std::shared_ptr<Communicator> joinLaunchedGroup(int timeoutSeconds);

// Where a group's SIGINT/SIGTERM go: the run's cancel flag (it stops at the next step, agreed by
// all ranks); null: the process exits with 130 (nothing running yet).
void setGroupStopFlag(std::atomic<bool>* flag);

} // namespace imblab

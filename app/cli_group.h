// The CLI's side of a data-parallel launch (torchrun, srun): joins the group the launcher's
// variables describe, and quiets every rank but rank 0 (which alone logs, shows progress and
// writes files).
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace imblab {

class Communicator;

// How a launched process joins its group: --dist-timeout and --dist-backend.
struct GroupFlags {
    int timeoutSeconds = 120;
    std::string backend = "auto";
};
void addGroupFlags(CLI::App& cmd, GroupFlags& flags);

// The launched group this process belongs to, or null when it runs alone (a world of one too,
// unless --dist-backend names a backend: then it is a group of one, whose collectives cost what
// they cost and change nothing, which is how their cost is measured). In a group, SIGINT and
// SIGTERM are taken by one waiting thread instead of interrupting whichever thread they land on
// (a Gloo transport thread in a system call would fail with EINTR); they set the stop flag.
std::shared_ptr<Communicator> joinLaunchedGroup(const GroupFlags& flags);

// Where a group's SIGINT/SIGTERM go: the run's cancel flag (it stops at the next step, agreed by
// all ranks); null: the process exits with 130 (nothing running yet).
void setGroupStopFlag(std::atomic<bool>* flag);

} // namespace imblab

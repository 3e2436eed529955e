// The CLI's side of a data-parallel launch (torchrun, srun): joins the group the launcher's
// variables describe, and quiets every rank but rank 0 (which alone logs, shows progress and
// writes files).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace imblab {

class Communicator;

// Adds --dist-timeout to a command; the value lands in `seconds`.
void addGroupFlags(CLI::App& cmd, int& seconds);

// The launched group this process belongs to, or null when it runs alone.
std::shared_ptr<Communicator> joinLaunchedGroup(int timeoutSeconds);

} // namespace imblab

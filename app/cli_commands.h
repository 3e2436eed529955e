// The imblab-cli subcommands; each registers its flags and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace imblab {

// Registers a subcommand on `app`; the returned function runs it (after parsing) and gives
// the exit code.
using CommandRunner = std::function<int()>;
CommandRunner addDatasetCommand(CLI::App& app);
CommandRunner addTrainCommand(CLI::App& app);
CommandRunner addSweepCommand(CLI::App& app);
CommandRunner addBenchCommand(CLI::App& app);
CommandRunner addExportCommand(CLI::App& app);
CommandRunner addLessonsCommand(CLI::App& app);
CommandRunner addPriorsCommand(CLI::App& app);

} // namespace imblab

// imblab-cli: the headless twin of the app (dataset, train, sweep, bench).
#include "api/engine.h"
#include "cli_commands.h"
#include "errors.h"
#include "logging.h"
#include "util/allocator_tuning.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

namespace {
// One write per message, so that the ranks of a data-parallel run do not interleave theirs; the
// rank says whose it is.
int fail(int code, const std::exception& e) {
    const char* rank = std::getenv("RANK");
    const char* world = std::getenv("WORLD_SIZE");
    const bool inGroup = rank && world && std::string(world) != "1";
    std::cerr << (std::string("error") + (inGroup ? std::string(" (rank ") + rank + ")" : "") + ": " + e.what() + "\n");
    return code;
}
} // namespace

int main(int argc, char** argv) {
    imblab::keepFreedMemoryForReuse();  // before any thread allocates (util/allocator_tuning.h)
    CLI::App app{"Imbalance Lab (headless): imbalanced datasets, LDAM/DRW training, sweeps and benchmarks", "imblab-cli"};
    // The libraries too: a CPU run's numbers depend on its LibTorch, threads and BLAS.
    app.set_version_flag("--version", [] { return std::string("imblab-cli ") + IMBLAB_VERSION + "\n" + imblab::computeLibraries(); });
    std::string logLevel = "info", logFile;
    app.add_option("--log-level", logLevel, "trace, debug, info, warn, error or off")->capture_default_str();
    app.add_option("--log-file", logFile, "Also write the log to this file");
    app.require_subcommand(1);

    std::map<CLI::App*, imblab::CommandRunner> commands;
    auto add = [&](imblab::CommandRunner (*fn)(CLI::App&)) {
        const size_t before = app.get_subcommands({}).size();
        auto runner = fn(app);
        commands[app.get_subcommands({})[before]] = runner;
    };
    add(imblab::addDatasetCommand);
    add(imblab::addTrainCommand);
    add(imblab::addSweepCommand);
    add(imblab::addBenchCommand);
    add(imblab::addExportCommand);
    add(imblab::addLessonsCommand);
    add(imblab::addPriorsCommand);

    CLI11_PARSE(app, argc, argv);
    if (!imblab::setupLogging(logLevel, logFile)) return 2;
    try {
        for (auto& [cmd, run] : commands)
            if (cmd->parsed()) return run();
    } catch (const imblab::ConfigError& e) {
        return fail(2, e);
    } catch (const imblab::DataError& e) {
        return fail(3, e);
    } catch (const imblab::TrainingError& e) {
        return fail(4, e);
    } catch (const imblab::GroupError& e) {
        return fail(5, e);
    } catch (const std::exception& e) {
        return fail(1, e);
    }
    return 0;
}

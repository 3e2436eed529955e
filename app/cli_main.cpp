// imblab-cli: the headless twin of the app (dataset, train, sweep, bench).
#include "cli_commands.h"
#include "errors.h"
#include "logging.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <map>

int main(int argc, char** argv) {
    CLI::App app{"Imbalance Lab (headless): imbalanced datasets, LDAM/DRW training, sweeps and benchmarks", "imblab-cli"};
    app.set_version_flag("--version", std::string("imblab-cli ") + IMBLAB_VERSION);
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

    CLI11_PARSE(app, argc, argv);
    if (!imblab::setupLogging(logLevel, logFile)) return 2;
    try {
        for (auto& [cmd, run] : commands)
            if (cmd->parsed()) return run();
    } catch (const imblab::ConfigError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    } catch (const imblab::DataError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 3;
    } catch (const imblab::TrainingError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 4;
    } catch (const imblab::GroupError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 5;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

// `imblab-cli sweep`: methods × imbalance settings × seeds, one after another, and the table.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_progress.h"
#include "api/experiment_grid.h"
#include "api/methods.h"
#include "data/dataset_loader.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/config_json.h"
#include "io/metrics_json.h"
#include "io/results_table.h"
#include "io/run_directory.h"
#include "training/trainer.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

extern char** environ;

namespace imblab {

namespace {

std::string runDirName(const ExperimentConfig& c) {
    char dir[256];
    std::snprintf(dir, sizeof dir, "%s_%s_rho%g_seed%llu", methodIdOf(c).c_str(), c.dataset.profile.c_str(), c.dataset.rho,
                  (unsigned long long)c.train.seed);
    return dir;
}

void writeTables(const std::string& out, const std::vector<RunResultRow>& rows) {
    writeTextAtomically((std::filesystem::path(out) / "results.md").string(), resultsMarkdown(rows));
    writeTextAtomically((std::filesystem::path(out) / "results.csv").string(), resultsCsv(rows));
    writeTextAtomically((std::filesystem::path(out) / "runs.csv").string(), runsCsv(rows));
    writeTextAtomically((std::filesystem::path(out) / "results.tex").string(), resultsLatex(rows));
}

// Fills the row's errors from the run folder's summary.json; false when the run left none.
bool readSummary(const std::filesystem::path& dir, RunResultRow& row, std::string& why) {
    if (!std::filesystem::exists(dir / "summary.json")) {
        why = "no summary.json (see " + (dir / "train.log").string() + ")";
        return false;
    }
    try {
        const SummaryNumbers n = readSummaryJson((dir / "summary.json").string());
        if (!n.evaluated) {
            why = n.message.empty() ? std::string("no final evaluation") : n.message;
            return false;
        }
        row.balancedError = n.balancedError;
        row.minorityError = n.minorityError;
        row.frequentError = n.frequentError;
        row.wallSeconds = n.wallSeconds;
        return true;
    } catch (const std::exception& e) {
        why = e.what();
        return false;
    }
}

// Starts `imblab-cli train --config DIR/request.json --out DIR`, its output in DIR/train.log.
pid_t startChild(const std::filesystem::path& dir) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string request = (dir / "request.json").string(), log = (dir / "train.log").string(),
                      out = dir.string();
    std::vector<std::string> args{self, "train", "--config", request, "--out", out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw TrainingError("cannot start a sweep run for " + out + ": " + std::strerror(rc));
    return pid;
}

// Runs every configuration as its own process, `parallel` at a time (one GPU or several CPU
// cores shared): small networks leave a GPU mostly idle, so concurrent runs add throughput.
std::vector<RunResultRow> runInProcesses(const std::vector<ExperimentConfig>& configs, const std::string& out,
                                         int parallel) {
    std::vector<std::optional<RunResultRow>> byIndex(configs.size());  // tables list runs in config order
    std::vector<RunResultRow> rows;
    std::map<pid_t, size_t> running;
    size_t next = 0, done = 0;
    const auto t0 = std::chrono::steady_clock::now();
    while (done < configs.size()) {
        while (int(running.size()) < parallel && next < configs.size()) {
            const auto dir = std::filesystem::path(out) / runDirName(configs[next]);
            std::filesystem::create_directories(dir);
            writeTextAtomically((dir / "request.json").string(), configToJson(configs[next]));
            running[startChild(dir)] = next++;
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) break;
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const size_t index = it->second;
        const ExperimentConfig& c = configs[index];
        running.erase(it);
        ++done;
        const std::string name = runDirName(c);
        RunResultRow row = resultRowFor(c);
        std::string why;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (readSummary(std::filesystem::path(out) / name, row, why)) {
            byIndex[index] = row;
            rows.clear();
            for (const auto& r : byIndex)
                if (r) rows.push_back(*r);
            std::printf("[%zu/%zu] %s: balanced error %.2f%%, %.1f s (sweep %.0f s)\n", done, configs.size(),
                        name.c_str(), 100 * row.balancedError, row.wallSeconds, elapsed);
            std::fflush(stdout);
            writeTables(out, rows);
        } else {
            spdlog::error("{}: no result ({})", name, why);
        }
    }
    return rows;
}

} // namespace

CommandRunner addSweepCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("sweep", "Run methods x imbalance settings x seeds and write a Table-2-style results table");
    auto opts = std::make_shared<ExperimentOptions>();
    auto methods = std::make_shared<std::string>("erm,ldam-drw");
    auto seeds = std::make_shared<std::string>("0,1,2");
    auto rhos = std::make_shared<std::string>();
    auto profiles = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>("runs/sweep");
    auto parallel = std::make_shared<int>(1);
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--methods", *methods, "Comma-separated method ids (erm, focal, ldam, rw, rs, cb-rw, cb-rs, cb-focal, "
                                           "ce-drw, ce-drs, m-drw, ldam-drw, ldam-hg-drw, la, bsm, vs)")->capture_default_str();
    cmd->add_option("--seeds", *seeds, "Comma-separated seeds")->capture_default_str();
    cmd->add_option("--rhos", *rhos, "Comma-separated imbalance ratios (default: --rho or the preset's)");
    cmd->add_option("--profiles", *profiles, "Comma-separated profiles (default: --profile or the preset's)");
    cmd->add_option("--out", *out, "Folder for the runs and results.md / results.csv")->capture_default_str();
    cmd->add_option("--parallel", *parallel, "Runs at once, each its own process (e.g. several runs on one GPU)")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    return [=]() {
        const ExperimentConfig base = opts->resolve("fmnist-lt-quick");
        ExperimentGrid grid;
        grid.methods = splitList(*methods);
        if (grid.methods.empty()) throw ConfigError("--methods", "needs at least one method");
        grid.seeds = parseSeedList(*seeds, "--seeds");
        if (!rhos->empty()) grid.rhos = parseNumberList(*rhos, "--rhos", 1.0);
        const auto profileList = splitList(*profiles);
        const size_t settings = (profileList.empty() ? 1 : profileList.size()) * (grid.rhos.empty() ? 1 : grid.rhos.size());

        // Every configuration is validated before time is spent on the first.
        std::vector<ExperimentConfig> configs = expandGrid(base, grid, profileList);
        for (auto& c : configs) {
            c.name = findMethod(methodIdOf(c)).label;
            // The table needs last-epoch numbers only: evaluate at the end unless asked.
            if (!opts->evalEvery) c.train.marginEvery = c.train.epochs;
        }
        RunDirectoryWriter root(*out);
        spdlog::info("sweep: {} runs ({} methods x {} settings x {} seeds) into {}{}", configs.size(), grid.methods.size(),
                     settings, grid.seeds.size(), *out,
                     *parallel > 1 ? ", " + std::to_string(*parallel) + " at a time" : std::string());
        std::vector<RunResultRow> rows;
        if (*parallel > 1) {
            rows = runInProcesses(configs, *out, *parallel);
        } else {
            // Files are read once and shared by every run; generated data (blobs) depends on the
            // seed, so it is made once per seed.
            std::map<std::string, std::shared_ptr<const Dataset>> loaded;
            int index = 0;
            for (const auto& c : configs) {
                ++index;
                const std::string dir = runDirName(c);
                const std::string key = c.dataset.id == "blobs" ? "blobs seed " + std::to_string(c.dataset.seed) : c.dataset.id;
                auto& full = loaded[key];
                if (!full) full = std::make_shared<const Dataset>(loadDataset(c.dataset));
                Trainer trainer(c, full);
                RunDirectoryWriter writer((std::filesystem::path(*out) / dir).string());
                RunControl control;
                const RunInfo& info = trainer.prepare(&control);
                writer.writeConfig(c, info);
                CliRunObserver fanout("[" + std::to_string(index) + "/" + std::to_string(configs.size()) + "] " + dir,
                                      c.train.epochs, &writer);
                const RunSummary s = trainer.run(fanout, control);
                fanout.progress.finish(s);
                writer.finish(s, trainer.trainedModel());
                if (!s.hasFinalReport) {
                    spdlog::error("{}: no result ({})", dir, s.message);
                    continue;
                }
                RunResultRow row = resultRowFor(c);
                row.balancedError = s.finalReport.balancedError;
                row.minorityError = s.finalReport.minorityError;
                row.frequentError = s.finalReport.frequentError;
                row.wallSeconds = s.wallSeconds;
                rows.push_back(row);
                // Rewritten after every run, so a stopped sweep still leaves its table so far.
                writeTables(*out, rows);
            }
        }
        std::cout << "Balanced test error (%), last epoch, mean ± std over seeds:\n\n" << resultsMarkdown(rows);
        return rows.size() == configs.size() ? 0 : 4;
    };
}

} // namespace imblab

// `imblab-cli sweep`: methods × imbalance settings × seeds, one after another, and the table.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_group.h"
#include "cli_progress.h"
#include "api/engine.h"
#include "api/planned_epochs.h"
#include "api/experiment_grid.h"
#include "api/methods.h"
#include "data/dataset_loader.h"
#include "distributed/communicator.h"
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
#include <thread>

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
        row.manyShot = n.manyShot;
        row.mediumShot = n.mediumShot;
        row.fewShot = n.fewShot;
        row.top5Error = n.top5Error;
        row.worstClassError = n.worstClassError;
        row.geometricMeanRecall = n.geometricMeanRecall;
        row.macroF1 = n.macroF1;
        row.classNames = n.classNames;
        row.classErrors = n.classErrors;
        row.wallSeconds = n.wallSeconds;
        row.collapsed = !n.warning.empty();
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
    auto methods = std::make_shared<std::string>();
    auto seeds = std::make_shared<std::string>("0,1,2");
    auto rhos = std::make_shared<std::string>();
    auto profiles = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>("runs/sweep");
    auto parallel = std::make_shared<int>(1);
    auto groupFlags = std::make_shared<GroupFlags>();
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->remove_option(cmd->get_option("--method"));  // --methods names them here
    std::string ids;
    for (const auto& m : knownMethods()) ids += (ids.empty() ? "" : ", ") + m.id;
    cmd->add_option("--methods", *methods, "Comma-separated method ids (" + ids + "); default: the preset's table "
                                           "(imdb-table1: erm,rs,rw,ldam-drw), else erm,ldam-drw");
    cmd->add_option("--seeds", *seeds, "Comma-separated seeds")->capture_default_str();
    cmd->add_option("--rhos", *rhos, "Comma-separated imbalance ratios (default: --rho or the preset's)");
    cmd->add_option("--profiles", *profiles, "Comma-separated profiles (default: --profile or the preset's)");
    cmd->add_option("--out", *out, "Folder for the runs and results.md / results.csv")->capture_default_str();
    cmd->add_option("--parallel", *parallel, "Runs at once, each its own process (e.g. several runs on one GPU)")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    addGroupFlags(*cmd, *groupFlags);
    return [=]() {
        // Under torchrun/srun the ranks share the grid: each trains whole runs, taking the next
        // configuration from a counter in the rendezvous store; rank 0 writes the tables.
        const auto group = joinLaunchedGroup(*groupFlags);
        if (group && *parallel > 1)
            throw ConfigError("--parallel", "under torchrun or srun every rank trains one run at a time; start more ranks instead");
        const ExperimentConfig base = opts->resolve("fmnist-lt-quick");
        ExperimentGrid grid;
        std::vector<std::string> presetMethods = opts->preset.empty() ? std::vector<std::string>{} : presetSweepMethods(opts->preset);
        if (presetMethods.empty()) presetMethods = {"erm", "ldam-drw"};
        grid.methods = methods->empty() ? presetMethods : splitList(*methods);
        if (grid.methods.empty()) throw ConfigError("--methods", "needs at least one method");
        grid.seeds = parseSeedList(*seeds, "--seeds");
        if (!rhos->empty()) grid.rhos = parseNumberList(*rhos, "--rhos", 1.0);
        const auto profileList = splitList(*profiles);
        const size_t settings = (profileList.empty() ? 1 : profileList.size()) * (grid.rhos.empty() ? 1 : grid.rhos.size());

        // Every configuration is validated before time is spent on the first.
        std::vector<ExperimentConfig> configs = expandGrid(base, grid, profileList);
        for (auto& c : configs) {
            c.name = methodLabelOf(c);
            // The table needs last-epoch numbers only: evaluate at the end unless asked.
            if (!opts->evalEvery) c.train.marginEvery = c.train.epochs;
        }
        if (group) {  // every rank must hold the same grid, or the counter hands out different runs
            std::string all;
            for (const auto& c : configs) all += configToJson(c);
            const auto grids = group->allgatherText(all);
            for (size_t r = 1; r < grids.size(); ++r)
                if (grids[r] != grids[0])
                    throw ConfigError("data-parallel group", "rank " + std::to_string(r) +
                                                                 "'s sweep differs from rank 0's: every rank must run the same command");
        }
        RunDirectoryWriter root(*out);
        spdlog::info("sweep: {} runs ({} methods x {} settings x {} seeds) into {}{}", configs.size(), grid.methods.size(),
                     settings, grid.seeds.size(), *out,
                     *parallel > 1 ? ", " + std::to_string(*parallel) + " at a time" : std::string());
        std::vector<RunResultRow> rows;
        if (*parallel > 1) {
            // Each CPU run takes every core unless told (numbers depend on the thread count, so the
            // table equals a one-at-a-time sweep's); side by side they contend for them.
            const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
            if (base.train.threads == 0 && cores > 1 && resolveDevice(base.train.device) == "cpu")
                spdlog::warn("--parallel {}: each CPU run uses all {} cores, so the runs at once share them ({}x "
                             "oversubscribed); the numbers equal a one-at-a-time sweep's. --threads {} runs them side "
                             "by side without contention, with the numbers of that thread count",
                             *parallel, cores, std::min<size_t>(size_t(*parallel), configs.size()),
                             std::max(1, cores / *parallel));
            rows = runInProcesses(configs, *out, *parallel);
        } else {
            // Files are read once and shared by every run; generated data (blobs) depends on the
            // seed, so it is made once per seed.
            std::map<std::string, std::shared_ptr<const Dataset>> loaded;
            int64_t taken = 0;
            // The next configuration to train: in order when alone, from the group's counter otherwise.
            auto nextIndex = [&]() -> int64_t { return group ? group->storeAdd("sweep/next", 1) - 1 : taken++; };
            for (int64_t i = nextIndex(); i < int64_t(configs.size()); i = nextIndex()) {
                const ExperimentConfig& c = configs[size_t(i)];
                const int index = int(i) + 1;
                const std::string dir = runDirName(c);
                const std::string key = c.dataset.id == "blobs" ? "blobs seed " + std::to_string(c.dataset.seed) : c.dataset.id;
                auto& full = loaded[key];
                if (!full) full = std::make_shared<const Dataset>(loadDataset(c.dataset, decodeProgressOnTerminal()));
                Trainer trainer(c, full);
                RunDirectoryWriter writer((std::filesystem::path(*out) / dir).string());
                RunControl control;
                const RunInfo& info = trainer.prepare(&control);
                writer.writeConfig(c, info);
                CliRunObserver fanout("[" + std::to_string(index) + "/" + std::to_string(configs.size()) + "] " + dir,
                                      plannedEpochs(c.train), &writer, c.train.model);
                RunSummary s = trainer.run(fanout, control);
                if (group) {
                    s.worldSize = group->worldSize();
                    s.sweepRank = group->rank();
                }
                fanout.progress.finish(s);
                writer.finish(s, trainer.trainedModel());
                if (group) {  // on stdout, which torchrun prefixes with the rank
                    if (s.hasFinalReport)
                        std::printf("[%d/%zu] %s: balanced error %.2f%%, %.1f s\n", index, configs.size(), dir.c_str(),
                                    100 * s.finalReport.balancedError, s.wallSeconds);
                    else
                        std::printf("[%d/%zu] %s: no result (%s)\n", index, configs.size(), dir.c_str(), s.message.c_str());
                    std::fflush(stdout);
                    group->storeAdd("sweep/done", 1);
                    continue;  // rank 0 writes the tables from the folders once all are in
                }
                if (!s.hasFinalReport) {
                    spdlog::error("{}: no result ({})", dir, s.message);
                    continue;
                }
                RunResultRow row = resultRowFor(c);
                row.balancedError = s.finalReport.balancedError;
                row.minorityError = s.finalReport.minorityError;
                row.frequentError = s.finalReport.frequentError;
                row.manyShot = s.finalReport.manyShotAccuracy;
                row.mediumShot = s.finalReport.mediumShotAccuracy;
                row.fewShot = s.finalReport.fewShotAccuracy;
                row.top5Error = s.finalReport.top5Error;
                row.worstClassError = s.finalReport.worstClassError;
                row.geometricMeanRecall = s.finalReport.geometricMeanRecall;
                row.macroF1 = s.finalReport.macroF1;
                row.classNames = info.classNames;
                row.classErrors = s.finalReport.testErrorPerClass;
                row.wallSeconds = s.wallSeconds;
                row.collapsed = !s.warning.empty();
                rows.push_back(row);
                // Rewritten after every run, so a stopped sweep still leaves its table so far.
                writeTables(*out, rows);
            }
            if (group) {
                // The store, not a barrier, tells when the last run is in: ranks may wait far longer
                // than --dist-timeout for the others' runs (torchrun stops the group if a rank dies).
                while (group->storeAdd("sweep/done", 0) < int64_t(configs.size()))
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                if (group->rank() != 0) return 0;
                for (const auto& c : configs) {
                    RunResultRow row = resultRowFor(c);
                    std::string why;
                    if (readSummary(std::filesystem::path(*out) / runDirName(c), row, why)) rows.push_back(row);
                    else spdlog::error("{}: no result ({})", runDirName(c), why);
                }
                writeTables(*out, rows);
            }
        }
        std::cout << "Balanced test error (%), last epoch, mean ± std over seeds:\n\n" << resultsMarkdown(rows);
        return rows.size() == configs.size() ? 0 : 4;
    };
}

} // namespace imblab

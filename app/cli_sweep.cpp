// `imblab-cli sweep`: methods × imbalance settings × seeds, one after another, and the table.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_progress.h"
#include "data/dataset_loader.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/results_table.h"
#include "io/run_directory.h"
#include "training/methods.h"
#include "training/trainer.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>

namespace imblab {

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + ",") {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    return out;
}

template <typename T>
std::vector<T> parseNumbers(const std::string& text, const char* flag) {
    std::vector<T> out;
    for (const auto& item : splitList(text)) {
        try {
            size_t used = 0;
            const double v = std::stod(item, &used);
            if (used != item.size()) throw std::invalid_argument("");
            out.push_back(T(v));
        } catch (const std::exception&) {
            throw ConfigError(flag, "'" + item + "' is not a number");
        }
    }
    if (out.empty()) throw ConfigError(flag, "needs at least one value");
    return out;
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
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--methods", *methods, "Comma-separated method ids (erm, focal, ldam, rw, rs, cb-rw, cb-rs, cb-focal, "
                                           "ce-drw, ce-drs, m-drw, ldam-drw, ldam-hg-drw, la, bsm, vs)")->capture_default_str();
    cmd->add_option("--seeds", *seeds, "Comma-separated seeds")->capture_default_str();
    cmd->add_option("--rhos", *rhos, "Comma-separated imbalance ratios (default: --rho or the preset's)");
    cmd->add_option("--profiles", *profiles, "Comma-separated profiles (default: --profile or the preset's)");
    cmd->add_option("--out", *out, "Folder for the runs and results.md / results.csv")->capture_default_str();
    return [=]() {
        const ExperimentConfig base = opts->resolve("fmnist-lt-quick");
        std::vector<const Method*> chosen;
        for (const auto& id : splitList(*methods)) chosen.push_back(&findMethod(id));
        if (chosen.empty()) throw ConfigError("--methods", "needs at least one method");
        const auto seedList = parseNumbers<uint64_t>(*seeds, "--seeds");
        const auto rhoList = rhos->empty() ? std::vector<double>{base.dataset.rho} : parseNumbers<double>(*rhos, "--rhos");
        const auto profileList = profiles->empty() ? std::vector<std::string>{base.dataset.profile} : splitList(*profiles);

        // Validate every configuration before spending time on the first.
        std::vector<ExperimentConfig> configs;
        for (const auto& profile : profileList)
            for (double rho : rhoList)
                for (const Method* m : chosen)
                    for (uint64_t seed : seedList) {
                        ExperimentConfig c = applyMethod(base, *m);
                        c.dataset.profile = profile;
                        c.dataset.rho = rho;
                        c.dataset.seed = seed;
                        c.train.seed = seed;
                        c.name = m->label;
                        // The table needs last-epoch numbers only: evaluate at the end unless asked.
                        if (!opts->evalEvery) c.train.marginEvery = c.train.epochs;
                        validateConfig(c);
                        configs.push_back(c);
                    }
        RunDirectoryWriter root(*out);
        // The data is read once and shared by every run of the sweep.
        auto full = std::make_shared<const Dataset>(loadDataset(base.dataset));
        spdlog::info("sweep: {} runs ({} methods x {} settings x {} seeds) into {}", configs.size(), chosen.size(),
                     profileList.size() * rhoList.size(), seedList.size(), *out);

        std::vector<RunResultRow> rows;
        int index = 0;
        for (const auto& c : configs) {
            ++index;
            const std::string method = methodIdOf(c);
            char dir[256];
            std::snprintf(dir, sizeof dir, "%s_%s_rho%g_seed%llu", method.c_str(), c.dataset.profile.c_str(), c.dataset.rho,
                          (unsigned long long)c.train.seed);
            Trainer trainer(c, full);
            RunDirectoryWriter writer((std::filesystem::path(*out) / dir).string());
            RunControl control;
            const RunInfo& info = trainer.prepare(&control);
            writer.writeConfig(c, info);
            CliRunObserver fanout("[" + std::to_string(index) + "/" + std::to_string(configs.size()) + "] " + dir,
                                  c.train.epochs, &writer);
            const RunSummary s = trainer.run(fanout, control);
            fanout.progress.finish(s);
            writer.finish(s, info, trainer);
            if (!s.hasFinalReport) {
                spdlog::error("{}: no result ({})", dir, s.message);
                continue;
            }
            RunResultRow row;
            row.method = method;
            row.label = findMethod(method).label;
            row.profile = c.dataset.profile;
            row.rho = c.dataset.rho;
            row.mu = c.dataset.mu;
            row.seed = c.train.seed;
            row.balancedError = s.finalReport.balancedError;
            row.minorityError = s.finalReport.minorityError;
            row.frequentError = s.finalReport.frequentError;
            row.wallSeconds = s.wallSeconds;
            rows.push_back(row);
            // Rewritten after every run, so a stopped sweep still leaves its table so far.
            writeTextAtomically((std::filesystem::path(*out) / "results.md").string(), resultsMarkdown(rows));
            writeTextAtomically((std::filesystem::path(*out) / "results.csv").string(), resultsCsv(rows));
            writeTextAtomically((std::filesystem::path(*out) / "runs.csv").string(), runsCsv(rows));
            writeTextAtomically((std::filesystem::path(*out) / "results.tex").string(), resultsLatex(rows));
        }
        std::cout << "Balanced test error (%), last epoch, mean ± std over seeds:\n\n" << resultsMarkdown(rows);
        return rows.size() == configs.size() ? 0 : 4;
    };
}

} // namespace imblab

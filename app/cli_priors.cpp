// `imblab-cli priors`: finished runs' errors under other test distributions (the paper's Section
// C.5, SADE's protocol): Σ_j π_j·L_j from each run's per-class test errors, for forward long-tailed
// priors ρ = 50 … 2, uniform, and backward ones 2 … 50, one column per run, as Markdown or CSV.
#include "cli_commands.h"
#include "api/class_measures.h"
#include "errors.h"
#include "io/metrics_json.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace imblab {

namespace {

struct PriorRun {
    std::string name;
    std::vector<double> classErrors;
    std::vector<int64_t> classCounts;
};

PriorRun readRun(const std::string& dir) {
    const std::string path = (std::filesystem::path(dir) / "summary.json").string();
    const SummaryNumbers s = readSummaryJson(path);
    if (!s.evaluated || s.classErrors.empty()) throw DataError(path, "has no per-class test errors: the run ended before its evaluation");
    PriorRun run{std::filesystem::path(dir).filename().string(), s.classErrors, {}};
    if (run.name.empty()) run.name = dir;
    std::ifstream in(path);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("class_counts")) run.classCounts = j["class_counts"].get<std::vector<int64_t>>();
    return run;
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", 100 * v);
    return buf;
}

} // namespace

CommandRunner addPriorsCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("priors", "Finished runs' test error under forward, uniform and backward long-tailed test "
                                             "priors (SADE's protocol); one column per run");
    auto runs = std::make_shared<std::vector<std::string>>();
    auto extra = std::make_shared<std::vector<std::string>>();
    auto csv = std::make_shared<bool>(false);
    cmd->add_option("runs", *runs, "Run folders (imblab-cli train --out)")->required();
    cmd->add_option("--test-prior", *extra, "A prior of your own as an extra row: uniform, train, forward:RHO, backward:RHO or a "
                                            "file of one weight per class (repeatable)");
    cmd->add_flag("--csv", *csv, "CSV instead of Markdown");
    return [=]() {
        std::vector<PriorRun> read;
        for (const auto& dir : *runs) read.push_back(readRun(dir));
        const size_t k = read.front().classErrors.size();
        for (const auto& r : read)
            if (r.classErrors.size() != k)
                throw ConfigError("runs", "'" + r.name + "' has " + std::to_string(r.classErrors.size()) + " classes, '" +
                                              read.front().name + "' " + std::to_string(k) + ": compare runs of one dataset");
        // Rows: SADE's eleven priors, then the user's.
        std::vector<std::string> names;
        std::vector<std::vector<double>> errors;  // [row][run]
        for (const auto& p : errorAcrossTestPriors(read.front().classErrors)) names.push_back(p.prior);
        errors.assign(names.size(), {});
        for (const auto& r : read) {
            const auto table = errorAcrossTestPriors(r.classErrors);
            for (size_t i = 0; i < table.size(); ++i) errors[i].push_back(table[i].error);
        }
        for (const auto& spec : *extra) {
            names.push_back(spec);
            errors.emplace_back();
            for (const auto& r : read) {
                if (spec == "train" && r.classCounts.size() != k)
                    throw DataError(r.name + "/summary.json", "has no class_counts for the 'train' prior");
                const auto counts = r.classCounts.size() == k ? r.classCounts : std::vector<int64_t>(k, 1);
                errors.back().push_back(priorWeightedError(r.classErrors, parseTestPrior(spec, counts, "--test-prior")));
            }
        }
        if (*csv) {
            std::cout << "test_prior";
            for (const auto& r : read) std::cout << ',' << r.name;
            std::cout << '\n';
            for (size_t i = 0; i < names.size(); ++i) {
                std::cout << names[i];
                for (double e : errors[i]) std::cout << ',' << percent(e);
                std::cout << '\n';
            }
            return 0;
        }
        std::cout << "| test prior |";
        for (const auto& r : read) std::cout << ' ' << r.name << " |";
        std::cout << "\n|---|";
        for (size_t i = 0; i < read.size(); ++i) std::cout << "---:|";
        std::cout << '\n';
        for (size_t i = 0; i < names.size(); ++i) {
            std::cout << "| " << names[i] << " |";
            for (double e : errors[i]) std::cout << ' ' << percent(e) << " |";
            std::cout << '\n';
        }
        std::cout << "\nError (%) under each test prior: Σ_j π_j·L_j from the runs' per-class test errors; forward ρ weighs the "
                     "classes as the training order's long tail (π_j ∝ ρ^(−j/(k−1))), backward reverses it; uniform is the "
                     "balanced error.\n";
        return 0;
    };
}

} // namespace imblab

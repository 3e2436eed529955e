// `imblab-cli dataset`: per-class training counts of an imbalanced dataset (table or JSON).
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace imblab {

CommandRunner addDatasetCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("dataset", "Show the per-class counts of an imbalanced training set");
    auto opts = std::make_shared<ExperimentOptions>();
    auto json = std::make_shared<bool>(false);
    auto load = std::make_shared<bool>(false);
    auto seed = std::make_shared<std::optional<uint64_t>>();
    opts->addDatasetFlags(*cmd);
    cmd->add_option("--seed", *seed, "Seed of the kept subset (and the class shuffle)");
    cmd->add_flag("--json", *json, "Print JSON (class_names, class_counts, ...)");
    cmd->add_flag("--load", *load, "Also read the images (checks the files, draws the subset)");
    return [=]() {
        DatasetConfig cfg = opts->resolve().dataset;
        if (*seed) cfg.seed = **seed;
        CountPreview preview = previewCounts(cfg);
        std::vector<int64_t> testCounts;
        if (*load) {
            ImbalancedData imb = makeImbalanced(loadDataset(cfg), cfg);
            preview.classNames = imb.data.classNames;
            preview.classCounts = imb.classCounts;
            preview.minority = minorityClasses(imb.classCounts);
            testCounts = countPerClass(imb.data.test, imb.data.numClasses());
        }
        int64_t total = 0;
        for (int64_t n : preview.classCounts) total += n;
        const auto& info = DatasetManifest::builtin().find(cfg.id);
        if (*json) {
            nlohmann::ordered_json j;
            j["dataset"] = cfg.id;
            j["profile"] = cfg.profile;
            j["rho"] = cfg.rho;
            j["mu"] = cfg.mu;
            j["seed"] = cfg.seed;
            j["n_max"] = preview.nMax;
            j["class_names"] = preview.classNames;
            j["class_counts"] = preview.classCounts;
            std::vector<int> minority;
            for (size_t c = 0; c < preview.minority.size(); ++c)
                if (preview.minority[c]) minority.push_back(int(c));
            j["minority_classes"] = minority;
            j["total"] = total;
            if (*load) j["test_counts"] = testCounts;
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        std::printf("%s, profile %s, rho %g%s, seed %llu: %lld training examples\n", info.name.c_str(),
                    cfg.profile.c_str(), cfg.rho, cfg.profile == "step" ? (", mu " + std::to_string(cfg.mu).substr(0, 4)).c_str() : "",
                    (unsigned long long)cfg.seed, (long long)total);
        std::printf("%3s  %-16s %7s%s  %s\n", "#", "class", "train", *load ? "    test" : "", "");
        for (size_t c = 0; c < preview.classCounts.size(); ++c) {
            std::printf("%3zu  %-16s %7lld", c, preview.classNames[c].c_str(), (long long)preview.classCounts[c]);
            if (*load) std::printf(" %7lld", (long long)testCounts[c]);
            std::printf("  %s\n", preview.minority[c] ? "minority" : "");
        }
        return 0;
    };
}

} // namespace imblab

// `imblab-cli dataset`: per-class training counts of an imbalanced dataset (table or JSON).
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_progress.h"
#include "data/csv_table.h"
#include "data/dataset_loader.h"
#include "data/decoded_cache.h"
#include "data/dataset_manifest.h"
#include "data/text_dataset.h"
#include "data/vocabulary.h"

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

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
        const auto& info = DatasetManifest::builtin().find(cfg.id);
        const bool folder = info.isOwnData();  // a folder, list file or table of the user's
        // Own data are read once, below; previewing them first would read every file twice.
        CountPreview preview = folder ? CountPreview{} : previewCounts(cfg);
        std::vector<int64_t> testCounts;
        std::vector<SkippedFile> skipped;
        int channels = 0;
        std::vector<std::string> featureNames;
        std::optional<TextStatistics> text;  // texts: the vocabulary of the kept training subset
        if (*load || folder) {  // a folder's counts of readable files need them decoded
            const auto t0 = std::chrono::steady_clock::now();
            Dataset full = loadDataset(cfg, decodeProgressOnTerminal());
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (folder && info.isText()) {
                const double docs = double(full.train.size() + full.test.size() + int64_t(full.skipped.size()));
                spdlog::info(full.fromDecodedCache ? "read {:.0f} tokenized texts from the cache in {:.2f} s ({:.0f} texts/s)"
                                                   : "read and tokenized {:.0f} texts in {:.2f} s ({:.0f} texts/s)",
                             docs, seconds, docs / std::max(seconds, 1e-9));
            } else if (folder && info.format == "csv") {
                spdlog::info("read {} rows in {:.2f} s", full.train.size() + full.test.size(), seconds);
            } else if (folder && full.fromDecodedCache) {
                spdlog::info("read {} decoded images from the cache in {:.2f} s ({})", full.train.size() + full.test.size(),
                             seconds, decodedCacheFolder());
            } else if (folder) {
                const double files = double(full.train.size() + full.test.size() + int64_t(full.skipped.size()));
                spdlog::info("decoded {} files in {:.2f} s ({:.0f} files/s)", files, seconds, files / std::max(seconds, 1e-9));
            }
            ImbalancedData imb = makeImbalanced(std::move(full), cfg);
            if (imb.data.isText()) text = textStatistics(imb.data, buildVocabulary(imb.data, vocabularyOptions(cfg)));
            skipped = imb.data.skipped;
            featureNames = imb.data.featureNames;
            channels = imb.data.channels;
            preview.nMax = imb.nMax;
            preview.classNames = imb.data.classNames;
            preview.classCounts = imb.classCounts;
            preview.minority = minorityClasses(imb.classCounts);
            testCounts = countPerClass(imb.data.test, imb.data.numClasses());
        }
        int64_t total = 0;
        for (int64_t n : preview.classCounts) total += n;
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
            if (*load || folder) j["test_counts"] = testCounts;
            if (folder && info.format == "csv") {
                j["label_column"] = chooseLabelColumn(readCsvHeader(cfg.path), cfg.labelColumn, cfg.path);
                j["feature_names"] = featureNames;
            } else if (text) {
                j["vocabulary_size"] = text->vocabularySize;
                j["corpus_words"] = text->corpusWords;
                j["tokens"] = {{"max_tokens", cfg.maxTokens},   {"mean", text->meanTokens}, {"median", text->medianTokens},
                               {"p90", text->p90Tokens},        {"max", text->maxTokens},   {"truncated", text->truncated}};
                j["test_unknown_rate"] = text->testUnknownRate;
            } else if (folder) {
                j["image_size"] = cfg.imageSize;
                j["channels"] = channels;
            }
            if (folder) {
                nlohmann::ordered_json list = nlohmann::ordered_json::array();
                for (const auto& s : skipped) list.push_back({{"path", s.path}, {"reason", s.reason}});
                j["skipped"] = list;
            }
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        auto number = [](double v) {
            std::ostringstream o;
            o << v;  // %g-like: 100, 0.5
            return o.str();
        };
        const std::string rho = cfg.profile == "none" ? "" : ", rho " + number(cfg.rho);
        const std::string mu = cfg.profile == "step" ? ", mu " + number(cfg.mu) : "";
        std::printf("%s%s, profile %s%s%s, seed %llu: %lld training examples\n", info.name.c_str(),
                    folder ? (" " + cfg.path).c_str() : "", cfg.profile.c_str(), rho.c_str(), mu.c_str(),
                    (unsigned long long)cfg.seed, (long long)total);
        const bool withTest = *load || folder;
        std::printf("%3s  %-16s %7s%s  %s\n", "#", "class", "train", withTest ? "    test" : "", "");
        for (size_t c = 0; c < preview.classCounts.size(); ++c) {
            std::printf("%3zu  %-16s %7lld", c, preview.classNames[c].c_str(), (long long)preview.classCounts[c]);
            if (withTest) std::printf(" %7lld", (long long)testCounts[c]);
            std::printf("  %s\n", preview.minority[c] ? "minority" : "");
        }
        if (text)
            std::printf("vocabulary %lld words (of %lld distinct in the corpus; %.1f %% of test words unknown); words per "
                        "text: mean %.1f, median %.0f, 90th percentile %.0f, max %lld; %lld cut at %d\n",
                        (long long)text->vocabularySize, (long long)text->corpusWords, 100 * text->testUnknownRate,
                        text->meanTokens, text->medianTokens, text->p90Tokens, (long long)text->maxTokens,
                        (long long)text->truncated, cfg.maxTokens);
        if (folder && info.format != "csv") {
            std::printf("%zu file(s) skipped%s\n", skipped.size(), skipped.empty() ? "" : ":");
            for (const auto& s : skipped) std::printf("  %s: %s\n", s.path.c_str(), s.reason.c_str());
        }
        return 0;
    };
}

} // namespace imblab

// The experiment flags shared by train, sweep and bench, and how they resolve into a config:
// defaults ← --preset ← --config ← individual flags.
#pragma once

#include "api/experiment_config.h"

#include <cstdint>
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace imblab {

struct ExperimentOptions {
    std::string preset, configFile;
    std::optional<std::string> method, dataset, data, profile, model, loss, rebalance, device, deferEpoch, optimizer, pipeline,
        dataResidency, precision, root, testList, classNames, labelColumn, textColumn, classOrder, spamClasses, dataPipeline,
        crop, schedule, lrDecayEpochs;
    std::optional<double> rho, mu, lr, s, maxM, gamma, tau, beta, weightDecay, momentum, testSplit, mixup, cutmix, sam,
        maxNorm;
    std::optional<uint64_t> seed, dataSeed;
    std::optional<int> epochs, batchSize, reportEvery, threads, evalEvery, checkpointEvery, imageSize, channels, maxTokens,
        vocabSize, minCount, embeddingDim, lstmHidden, resize, cropPad, dataThreads;
    bool strict = false, noCache = false;
    bool noAugment = false, noFlip = false, channelsLast = false, nondeterministic = false, syncBn = false, imbsam = false;

    void addDatasetFlags(CLI::App& cmd);
    void addTrainingFlags(CLI::App& cmd);
    // ConfigError / DataError on bad values or files.
    ExperimentConfig resolve(const std::string& defaultPreset = {}) const;
};

} // namespace imblab

// The checkpoint format (format 1): model weights, the pipeline's optimizer state, progress
// counters, both RNG states and the config it was written for, in one LibTorch archive written
// atomically. A run resumed from it continues to the numbers of an uninterrupted run.
#pragma once

#include "api/engine.h"
#include "util/rng.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imblab {

struct Classifier;
class StepPipeline;

// Where a run stood at the end of a whole epoch.
struct CheckpointCounters {
    int epochsDone = 0;
    int64_t step = 0;
    int64_t imagesSeen = 0;
    double trainSeconds = 0;
    Rng sampleRng{0}, augmentRng{0};
    // The fading per-class counts of the running train error (trainer.cpp), so a resumed run
    // reports what the uninterrupted one does; empty in checkpoints written before them.
    std::vector<double> runningSeen, runningWrong;
    // The best epoch so far (RunSummary::bestEpoch), so a resumed run's best is over all its
    // epochs, not only those after the resume; -1 in checkpoints written before it.
    int bestEpoch = -1;
    double bestBalancedError = 0;
};

void writeCheckpoint(const std::string& path, Classifier& model, const StepPipeline& pipeline,
                     const CheckpointCounters& counters, const std::string& configJson);

// Reads a checkpoint in the order a resumed run needs it: the weights before the pipeline is
// made (the device pipeline copies them into its flat buffers), then the optimizer state and
// the counters. DataError naming the file when it cannot be read.
class CheckpointReader {
public:
    explicit CheckpointReader(const std::string& path);
    ~CheckpointReader();
    void loadWeights(Classifier& model);
    CheckpointCounters loadState(StepPipeline& pipeline);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab

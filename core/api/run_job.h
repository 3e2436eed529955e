// One experiment run on the calling (worker) thread, behind plain types: what the UI's worker
// and any other host of a run call instead of touching the trainer.
#pragma once

#include "api/decision_grid.h"
#include "api/experiment_config.h"
#include "api/observer.h"
#include "api/run_info.h"
#include "api/trained_model.h"
#include "data/dataset.h"

#include <memory>
#include <optional>
#include <string>

namespace imblab {

struct RunJob {
    ExperimentConfig config;
    std::shared_ptr<const Dataset> data;  // the loaded balanced dataset, or null to read it from disk
    std::string checkpoint;               // where checkpoints go (empty: none)
    bool resume = false;                  // continue from `checkpoint` instead of starting afresh
    // 2-D runs: the model's decision regions over this grid at every evaluation.
    std::optional<DecisionGrid> gridSpec;
    // A finished run's model: instead of training, run config.train.stage2 (with its epochs and
    // LR) on it — a decoupled second stage whose reports continue that run's epochs.
    std::shared_ptr<const TrainedModel> continues;
};

// Reports of a run: onStarted once the data and model are ready, then onReport (TrainingObserver)
// and, with a grid asked for, onGrid after each evaluation, all on the run's thread.
class RunJobObserver : public TrainingObserver {
public:
    virtual void onStarted(const RunInfo& info) = 0;
    virtual void onGrid(int epoch, const DecisionGrid& grid) { (void)epoch, (void)grid; }
};

struct RunJobResult {
    RunSummary summary;
    std::shared_ptr<const TrainedModel> model;  // the trained weights (the data is released)
};

// Runs the job to its end; ConfigError / DataError / TrainingError when it cannot start.
RunJobResult runJob(const RunJob& job, RunJobObserver& observer, RunControl& control);

} // namespace imblab

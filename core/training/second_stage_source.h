// A second stage's input when the model is live (training/second_stage.h): the first stage's
// network and its split where the trainer holds them, so nothing is serialised or reloaded.
#pragma once

#include "api/experiment_config.h"
#include "api/observer.h"
#include "api/run_info.h"
#include "models/classifier.h"
#include "training/augment.h"

#include <torch/types.h>

#include <memory>
#include <optional>
#include <vector>

namespace imblab {

struct SecondStageSource {
    std::shared_ptr<Classifier> model;
    ExperimentConfig config;
    RunInfo info;
    torch::Tensor trainX, testX;  // uint8 images (padded to the model input) or float rows, any device
    std::vector<int64_t> trainLabels, testLabels;
    std::optional<Normalization> norm;  // images
};

// The run's configured second stage (config.train.stage2, its epochs and LR) after its last epoch:
// the stage's reports continue the run's epochs, its head replaces the run's in `source.model`, and
// its numbers become the run's last ones in `summary`. A stage that is cancelled sets the summary's
// status and leaves the model as the first stage left it. `elapsedBefore`: the run's seconds so far.
void continueWithSecondStage(const SecondStageSource& source, RunSummary& summary, TrainingObserver& observer,
                             RunControl& control, double elapsedBefore);

} // namespace imblab

// The engine's facade for the UI: the few questions it asks the engine without running
// anything (is there a GPU, is this config valid, how far did a checkpoint get). Plain types only.
#pragma once

#include "api/experiment_config.h"

#include <cstdint>
#include <string>

namespace imblab {

// Checks ranges and names of every field, and refuses settings that could never take effect in
// the run (a re-balancing switch after the last epoch); ConfigError naming the first bad field.
void validateConfig(const ExperimentConfig& cfg);

// "cpu" or "cuda" for "auto" | "cpu" | "cuda"; ConfigError("train.device") when CUDA is asked
// for but unavailable.
std::string resolveDevice(const std::string& requested);
bool cudaAvailable();

// What computes here, for --version and Help ▸ About: "LibTorch 1.13.0 · CPU: 2 threads,
// OpenBLAS 0.3.21 (OpenMP, Haswell) · CUDA: not available" (or "CUDA: 1 GPU"); the threads are
// those a CPU run takes by default.
std::string computeLibraries();

// Where a run of these settings decays its LR and switches a deferred re-balancing, in words
// for the Training panel ("placed by step" for short runs; training/lr_schedule.h).
std::string describeSchedule(const TrainConfig& train, bool deferred);

// What a checkpoint file holds: completed epochs, step, and the configuration it was written
// for (config JSON). DataError naming the file when it is missing or unreadable.
struct CheckpointProgress {
    int epochs = 0;
    int64_t step = 0;
    std::string configJson;
};
CheckpointProgress readCheckpointProgress(const std::string& path);

} // namespace imblab

// Runs one configured experiment: data → imbalance → model/loss/re-balancing → the training loop
// with reports. Torch state lives behind a pimpl so that includers (app/) see no torch header.
#pragma once

#include "api/decision_grid.h"
#include "api/engine.h"
#include "api/experiment_config.h"
#include "api/run_info.h"
#include "api/trained_model.h"
#include "data/dataset.h"
#include "training/benchmark.h"
#include "training/device_choice.h"
#include "api/observer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imblab {

class Communicator;

class Trainer {
public:
    // Checks the config (ConfigError naming the field). `fullData`: an already loaded, balanced
    // dataset to use instead of reading cfg.dataset from disk (the GUI keeps one in memory).
    explicit Trainer(ExperimentConfig cfg, std::shared_ptr<const Dataset> fullData = nullptr);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Trains as one rank of a data-parallel group (distributed/communicator.h): the same run split
    // over the group's processes. Call before prepare().
    void joinGroup(std::shared_ptr<Communicator> group);

    // Loads the data (DataError on a bad file), builds the subset, model, loss and schedule.
    const RunInfo& prepare(const RunControl* control = nullptr);
    const RunInfo& info() const;
    const ExperimentConfig& config() const;

    // Trains to the end, a cancel, or a divergence (RunStatus::Failed with step, lr and loss in
    // the message); reports through `observer` on the calling thread.
    RunSummary run(TrainingObserver& observer, RunControl& control);

    // Checkpoints (training/checkpoint.h) are written to `path` atomically every
    // train.checkpointEvery epochs; none when the path is empty.
    void setCheckpointPath(std::string path);
    // Continues from a checkpoint at the next run(): call before run(). DataError naming the file
    // when it is missing, unreadable or written for another configuration. Returns the epochs
    // and the step the checkpoint holds.
    std::pair<int, int64_t> resumeFrom(const std::string& path);

    // Training throughput (training/benchmark.h; defined in trainer_benchmark.cpp).
    BenchResult benchmark(int warmupSteps, int steps, int profileSteps = 0, const std::string& tracePath = {});
    // The input pipeline's throughput alone, without the model (training/benchmark.h).
    InputBenchResult benchmarkInput(int warmupBatches, int batches);

    // Frees the data tensors once a run is over; the model (and export) stay available.
    void releaseData();

    // The trained model as a plain value (config, info, state dict on the CPU): what leaves the
    // worker thread and what every exporter takes.
    TrainedModel trainedModel() const;
    // Writes the model as a LibTorch archive (torch::save), atomically.
    void saveModel(const std::string& path) const;
    // The model's state dict (parameters then buffers) as F32 / I64 bytes on the CPU.
    std::vector<NamedTensorBytes> stateDict() const;

    // The model's predictions over a grid and the training points' margins (2-D feature data
    // only). Call from the thread that runs the trainer (e.g. inside an observer callback).
    DecisionGrid predictGrid(double x0, double x1, double y0, double y1, int nx, int ny) const;

    // Training-set points (2-D feature data): x, y pairs and labels of the imbalanced subset.
    std::vector<float> trainPoints() const;
    std::vector<int64_t> trainLabels() const;

    struct Impl;  // training/trainer_impl.h: shared with the benchmark's translation unit

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab

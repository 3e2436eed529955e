// Runs one configured experiment: data → imbalance → model/loss/re-balancing → SGD loop with
// reports. Torch state lives behind a pimpl so that includers (ui/, app/) see no torch header.
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"
#include "data/dataset.h"
#include "io/safetensors.h"
#include "training/observer.h"
#include "training/op_profile.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace imblab {

// Grid predictions of a 2-D model (teaching mode): the argmax class of each grid point,
// row-major from (x0, y0), `nx` × `ny` points over [x0, x1] × [y0, y1].
struct DecisionGrid {
    int nx = 0, ny = 0;
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    std::vector<int> classes;
    // Margins z_y − max_{j≠y} z_j of the training points (trainPoints() order), same moment.
    std::vector<double> pointMargins;
};

struct BenchResult {
    int steps = 0;
    int64_t batchSize = 0;
    double seconds = 0;
    double imgPerSec = 0;
    std::string device;
    std::string pipeline;  // host, device or graph (as it ran)
    int threads = 0;
    std::optional<OpProfile> profile;  // when profiled steps were asked for
    std::string traceError;            // why the asked-for trace was not written ("" if it was)
};

class Trainer {
public:
    // Checks the config (ConfigError naming the field). `fullData`: an already loaded, balanced
    // dataset to use instead of reading cfg.dataset from disk (the GUI keeps one in memory).
    explicit Trainer(ExperimentConfig cfg, std::shared_ptr<const Dataset> fullData = nullptr);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Loads the data (DataError on a bad file), builds the subset, model, loss and schedule.
    const RunInfo& prepare(const RunControl* control = nullptr);
    const RunInfo& info() const;
    const ExperimentConfig& config() const;

    // Trains to the end, a cancel, or a divergence (RunStatus::Failed with step, lr and loss in
    // the message); reports through `observer` on the calling thread.
    RunSummary run(TrainingObserver& observer, RunControl& control);

    // Checkpoints (model, optimizer state, epoch, step, RNG states, config) are written to `path`
    // atomically every train.checkpointEvery epochs; none when the path is empty.
    void setCheckpointPath(std::string path);
    // Continues from a checkpoint at the next run(): call before run(). DataError naming the file
    // when it is missing, unreadable or written for another configuration. Returns the epochs
    // and the step the checkpoint holds.
    std::pair<int, int64_t> resumeFrom(const std::string& path);

    // Training throughput: `steps` full steps (sampling, augmentation, forward, loss,
    // backward, optimizer) timed after `warmupSteps` untimed ones. Then `profileSteps` more
    // under LibTorch's profiler (not in the timing): what the steps spend their time on, with
    // the Chrome trace written to `tracePath` when given.
    BenchResult benchmark(int warmupSteps, int steps, int profileSteps = 0, const std::string& tracePath = {});

    // Frees the data tensors once a run is over; the model (and export) stay available.
    void releaseData();

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

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// What a checkpoint file holds: completed epochs, step, and the configuration it was written
// for (config JSON). DataError naming the file when it is missing or unreadable.
struct CheckpointProgress {
    int epochs = 0;
    int64_t step = 0;
    std::string configJson;
};
CheckpointProgress readCheckpointProgress(const std::string& path);

// Checks ranges and names of every field; ConfigError naming the first bad one.
void validateConfig(const ExperimentConfig& cfg);

// "cpu" or "cuda" for "auto" | "cpu" | "cuda"; ConfigError("train.device") when CUDA is asked
// for but unavailable.
std::string resolveDevice(const std::string& requested);
bool cudaAvailable();

// The pipeline a run uses: auto → graph on CUDA, host on the CPU; device/graph need SGD (else
// host) and graph needs CUDA (else device); each fallback is logged.
std::string resolvePipeline(const TrainConfig& train, const std::string& device);

} // namespace imblab

// The speed mode a run trains in when train.precision is "auto": measured, not assumed. bf16 +
// channels-last was 3.6× fp32 for the small CNN on a CPU with AVX-512 BF16 with the reference
// BLAS, 1.2× with OpenBLAS, and 0.6× for ResNet-32 on the same CPU once, so the choice depends on
// the model, the input, the machine and its libraries. A few training steps in each mode through
// the run's own pipeline, once per model, input, batch, device, processor, thread count, LibTorch
// and BLAS; the result is kept in speed_probes.json in the cache folder (data/decoded_cache.h), so
// later runs choose the same mode without measuring.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace imblab {

struct SpeedMeasure {
    double fp32ImgPerSec = 0, fastImgPerSec = 0;  // training throughput in each mode
    bool fromCache = false;
    // bf16 + channels-last is chosen when it trains at least 10 % faster than fp32.
    bool fastWins() const { return fastImgPerSec >= 1.1 * fp32ImgPerSec; }
    // "fast (bf16 + channels-last): 7900 vs 2300 img/s in fp32, measured for cnn on cpu".
    std::string note(const std::string& model, const std::string& device) const;
};

// What identifies a measurement: the model, the run's input and batch, device, processor
// (CPU model name or GPU name), thread count, LibTorch version and (on the CPU) BLAS library.
std::string speedProbeKey(const ExperimentConfig& cfg, const std::string& device, const std::vector<int>& inputShape);

// The stored measurement for `key` in `folder` (none when absent, unreadable or damaged), and
// storing one (atomically; false when the folder cannot be written).
std::optional<SpeedMeasure> readSpeedProbe(const std::string& folder, const std::string& key);
bool writeSpeedProbe(const std::string& folder, const std::string& key, const SpeedMeasure& m);

// Each mode's best throughput over alternating rounds (fp32, fast, fp32, fast, ...): other work
// on the machine (the app starting, a build) slows a round, not the result. Rounds go on while
// fewer than `maxRounds` were taken and the rounds so far took less than `budgetSeconds`, so
// a model that needs seconds a step is measured once.
SpeedMeasure measureInRounds(const std::function<double(bool fast)>& throughput, int maxRounds, double budgetSeconds);

// The stored measurement, else a new one: the run's configuration trained a few steps in fp32
// and in bf16 + channels-last on `data`, up to three rounds (stored when `folder` is not empty).
SpeedMeasure measureSpeed(const ExperimentConfig& cfg, std::shared_ptr<const Dataset> data, const std::string& device,
                          const std::vector<int>& inputShape, const std::string& folder);

// The arithmetic a run trains in: train.precision and train.channelsLast as given, or for
// "auto" what measureSpeed finds fastest (fp32 for a data-parallel run, whose ranks could
// measure differently but must agree), with the note that says why.
struct SpeedChoice {
    std::string precision;  // fp32 | bf16
    bool channelsLast = false;
    std::string note;       // empty unless train.precision is "auto"
};
SpeedChoice chooseSpeed(const ExperimentConfig& cfg, std::shared_ptr<const Dataset> data, const std::string& device,
                        const std::vector<int>& inputShape, const std::string& folder, bool dataParallel);

} // namespace imblab

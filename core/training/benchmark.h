// What a throughput benchmark of the training step measured (Trainer::benchmark).
#pragma once

#include "training/op_profile.h"

#include <cstdint>
#include <optional>
#include <string>

namespace imblab {

// `steps` full steps (sampling, augmentation, forward, loss, backward, optimizer) timed after
// `warmupSteps` untimed ones; then `profileSteps` more under LibTorch's profiler (not in the
// timing): what the steps spend their time on, with the Chrome trace written when asked.
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

// The input pipeline alone (Trainer::benchmarkInput): training batches as the step receives them
// (decoded or gathered, cut, flipped, normalised to float), `batches` timed after `warmupBatches`.
struct InputBenchResult {
    int batches = 0;
    int64_t batchSize = 0;
    double seconds = 0;
    double imagesPerSec = 0;
    std::string dataPipeline;  // decoded | stream
    int threads = 0;           // a stream's decoding threads
};

} // namespace imblab

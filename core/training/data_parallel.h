// What a data-parallel run does beyond the step (which the host pipeline splits): the ranks'
// agreement on config and data at start, rank 0's weights everywhere, and the evaluation
// sharded over the ranks and gathered (or, alone, the pipeline's own).
#pragma once

#include "training/metrics.h"

#include <torch/types.h>

#include <atomic>
#include <string>

namespace imblab {

class Communicator;
class StepPipeline;
struct Classifier;

// Refuses (ConfigError on every rank, naming the ranks and the first differing line) a group
// whose ranks have different configurations or different data: the config text and the run's
// split fingerprint (data/split_fingerprint.h) are gathered and compared with rank 0's.
void checkGroupAgreement(Communicator& group, const std::string& configText, const std::string& splitFingerprint);

// Rank 0's parameters and buffers (or buffers only: BatchNorm's running statistics, which each
// rank updates from its own rows) copied to every rank, as DistributedDataParallel does.
void broadcastModel(Communicator& group, Classifier& model, bool buffersOnly);

// The logits of every row of `x`: each rank evaluates rows [n·r/N, n·(r+1)/N) and the parts are
// gathered in order, so every rank holds the whole table (float32, CPU).
torch::Tensor evaluateSharded(Communicator& group, StepPipeline& pipe, const torch::Tensor& x);

// The logits of every row of `x` through the pipeline, alone or sharded over `group`, as a host
// table (zeros once `cancel` stopped the evaluation).
LogitTable evaluateLogits(StepPipeline& pipe, Communicator* group, const torch::Tensor& x, int classes,
                          const std::atomic<bool>& cancel);

} // namespace imblab

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

// Whether to stop here: alone, the user's flag; in a group, the group's answer to it and nothing
// else (the flag is set when it says so). A stop that arrives after that answer waits for the next
// one: reading the flag again let a rank stop while the others went on into the step's allreduce
// ("rank 0 lost rank 1" in about one interrupted run of ten).
bool stopsHere(Communicator* group, std::atomic<bool>& cancel);

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

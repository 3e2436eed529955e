// BatchNorm as our networks call it: the module's own forward, or — inside a SyncBatchNormScope,
// in training mode — batch statistics over a data-parallel group's global batch (SyncBatchNorm:
// mean and variance from every rank's rows, gradients through both reductions). The scope is set
// by the step pipeline on the thread that trains, so the networks need not know of groups.
#pragma once

#include <torch/nn/modules/batchnorm.h>

namespace imblab {

class Communicator;

torch::Tensor batchNorm(torch::nn::BatchNorm2d& bn, const torch::Tensor& x);

class SyncBatchNormScope {
public:
    explicit SyncBatchNormScope(Communicator* group);  // null: per-rank statistics (no change)
    ~SyncBatchNormScope();
    SyncBatchNormScope(const SyncBatchNormScope&) = delete;
    SyncBatchNormScope& operator=(const SyncBatchNormScope&) = delete;

private:
    Communicator* previous_;
};

} // namespace imblab

// The training step behind one interface, so the loop reads the same for every pipeline: the
// host pipeline (a torch optimizer, one step at a time, any device) and the device pipeline
// (SGD on flat device buffers, optionally replayed as CUDA graphs).
#pragma once

#include "util/rng.h"

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace torch::serialize {
class InputArchive;
class OutputArchive;
} // namespace torch::serialize

namespace imblab {

class Communicator;

// Methods since 2019 that change the step itself (0 = off): mixup or CutMix of the batch
// (training/mixing.h), SAM's second pass at w + ε (training/sharpness.h) — ImbSAM when
// `samTail` marks the classes whose loss ε follows (host pipeline only) —, and the MaxNorm
// projection of the classifier rows after the optimizer step (training/max_norm.h).
struct StepExtras {
    double mixupAlpha = 0, cutmixAlpha = 0;
    double samRho = 0;
    std::vector<bool> samTail;  // ImbSAM: per class, true = tail (empty: SAM on the whole loss)
    double maxNorm = 0;
};

// What every pipeline needs to know of a run's step.
struct StepOptions {
    int64_t batch = 128;          // examples per step; the epoch's last step takes the rest
    int64_t stepsPerEpoch = 1;
    int cropPad = 4;
    bool image = true;            // uint8 images (else float features)
    bool augment = true, flip = true;
    double momentum = 0.9, weightDecay = 0;
    bool bf16 = false;            // autocast to bfloat16 for the forward pass
    bool channelsLast = false;
    int classes = 10;
    int64_t evalBatch = 256;
    StepExtras extras;
    // Data-parallel: every rank walks the same global batches and computes rows
    // [B·r/N, B·(r+1)/N) of each; the gradients (with the loss and the per-class counts) are
    // summed over the group in one allreduce of a flat buffer before the update. Null: alone.
    Communicator* group = nullptr;
    bool syncBn = false;  // with a group: BatchNorm over the global batch (models/batch_norm.h)
};

// Sums over the steps since the last drain().
struct StepTotals {
    int64_t steps = 0;
    double lossSum = 0;
    std::vector<int64_t> seen, wrong;  // per class: training examples, and those misclassified
    int64_t divergedAtStep = -1;       // 0-based step (since the pipeline began) with a non-finite loss
    double divergedLoss = 0;
    double groupSeconds = 0;           // data-parallel: time in the step's allreduce, and how many
    int64_t groupCalls = 0;
};

class StepPipeline {
public:
    virtual ~StepPipeline() = default;

    // The epoch's plan: the visiting `order` (sampler.h), augmentation drawn from `augmentRng`,
    // the LR, and the class weights (empty: unweighted).
    virtual void beginEpoch(const std::vector<int64_t>& order, Rng& augmentRng, double lr,
                            const std::vector<double>& weights) = 0;
    // Changes the LR or the class weights (empty: unweighted) from the next step on: a short
    // run's schedule points can fall within an epoch.
    virtual void setLr(double lr) = 0;
    virtual void setClassWeights(const std::vector<double>& weights) = 0;
    // Runs (or queues) step `s`, 0-based within the epoch. True when the step's sums must be
    // drained now: it saw a non-finite loss and the run has to stop there.
    virtual bool step(int64_t s) = 0;
    // Sums of the steps since the last drain; waits for queued work. After a non-finite loss
    // later steps change nothing and divergedAtStep names the step.
    virtual StepTotals drain() = 0;
    // Logits [N, k] (float32, CPU) of the rows of `x` in eval mode; an undefined tensor once
    // `cancel` is set.
    virtual torch::Tensor evaluate(const torch::Tensor& x, const std::atomic<bool>* cancel) = 0;

    // The optimizer's state, for checkpoints.
    virtual void saveState(torch::serialize::OutputArchive& archive) const = 0;
    virtual void loadState(torch::serialize::InputArchive& archive) = 0;

    // "host", "device" or "graph": the pipeline as it runs; why it runs without graphs when they
    // were asked for ("" otherwise).
    virtual std::string mode() const = 0;
    virtual std::string fallbackReason() const { return {}; }
};

} // namespace imblab

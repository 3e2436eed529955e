// The device pipeline: the training step with everything on the model's device. The imbalanced
// training set sits there as uint8; each epoch's plan (visiting order, crop offsets, flips; drawn
// on the host by the same RNG calls as the host pipeline, so both see identical batches) is
// uploaded once; a step gathers its rows, augments, normalizes, runs forward/backward and an SGD
// update on one flat parameter buffer, and adds loss and per-class error counts into device
// accumulators. Nothing waits for the device until drain(). On CUDA the step (and the evaluation
// forward) can be captured as CUDA graphs; the learning rate and the class weights live in device
// tensors, so schedule changes need no re-capture.
// The step extras (step_pipeline.h) run here too, all without a host sync: mixup/CutMix draws
// are made in beginEpoch in the host pipeline's order and read from the plan; SAM's second
// forward/backward and ε are part of the step (one graph holds both passes); MaxNorm scales the
// head's rows after the update. ImbSAM, whose loss splits the batch by class, stays on the host.
// Data-parallel (StepOptions::group): each rank runs its rows of every global batch and the flat
// gradient buffer, with the loss, is summed in one allreduce per step (two with SAM); the
// per-class counts are summed when drained. A group's step runs eagerly (no CUDA graph).
#pragma once

#include "training/augment.h"
#include "training/step_pipeline.h"
#include "util/rng.h"

#include <cstdint>
#include <torch/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace imblab {

struct Classifier;
class Loss;

struct DevicePipelineOptions : StepOptions {
    bool useGraph = false;        // capture the step and the evaluation forward (CUDA only)
    // The training images stay where they are (host memory, pinned on CUDA): each step gathers
    // its rows there and copies them into a device batch buffer the step (or its graph) reads.
    bool streamData = false;
};

class DevicePipeline final : public StepPipeline {
public:
    // `trainX` (uint8 images or float features; in host memory with streamData) and `trainY` on
    // the model's device. The model's parameters and floating buffers become views of flat
    // device buffers.
    DevicePipeline(Classifier& model, const Loss& loss, torch::Tensor trainX, torch::Tensor trainY, Normalization norm,
                   DevicePipelineOptions options);
    ~DevicePipeline();
    DevicePipeline(const DevicePipeline&) = delete;
    DevicePipeline& operator=(const DevicePipeline&) = delete;

    // The epoch's plan: `order` (sampler.h), crop offsets and flips drawn from `augmentRng`
    // example by example as augmentBatch() draws them; the LR, and the class weights (empty:
    // unweighted). One host→device copy.
    void beginEpoch(const std::vector<int64_t>& order, Rng& augmentRng, double lr,
                    const std::vector<double>& weights) override;
    // Queues step `s` (0-based within the epoch) on the device; never asks for a drain (the
    // divergence latch is read at the next report).
    void setLr(double lr) override;
    void setClassWeights(const std::vector<double>& weights) override;
    bool step(int64_t s) override;
    // Waits for the queued steps; their sums, the accumulators then restart from zero. Once a
    // loss was not finite, later steps change nothing (parameters, momentum and BatchNorm
    // statistics stay those of the last good step) and divergedAtStep names the step.
    StepTotals drain() override;

    // Logits [N, k] (float32, CPU) of the rows of `x` (on the device, or in host memory: copied
    // batch by batch) in eval mode; stops early
    // (returning an undefined tensor) once `cancel` is set.
    torch::Tensor evaluate(const torch::Tensor& x, const std::atomic<bool>* cancel) override;

    // The SGD momentum buffer (flat, in the parameters' memory order) for checkpoints.
    torch::Tensor momentum() const;
    void setMomentum(const torch::Tensor& flat);  // TrainingError if the size differs

    // "graph" once the step is captured, else "device"; why graphs are not in use ("" if they are
    // or were not asked for).
    std::string mode() const override;
    std::string fallbackReason() const override;
    // Checkpoints hold the momentum buffer under "momentum".
    void saveState(torch::serialize::OutputArchive& archive) const override;
    void loadState(torch::serialize::InputArchive& archive) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab

// The host pipeline: one step at a time with a torch optimizer (SGD or Adam), on any device.
// Each step gathers its rows by the epoch's order, augments them with the run's RNG, runs
// forward/backward and the optimizer, and reads its loss back (the divergence check), so it
// works everywhere the device pipeline does not (Adam) and is the reference it is tested against.
#pragma once

#include "training/augment.h"
#include "training/step_pipeline.h"

#include <memory>

namespace imblab {

struct Classifier;
class ImageStream;
class Loss;

struct HostPipelineOptions : StepOptions {
    std::string optimizer = "sgd";  // sgd | adam
    double lr = 0.1;
    // Streamed images (training/image_stream.h): trainX and the evaluated tensors then hold rows
    // of the stream's files (int64 [N]); each step takes its batch, cut and flipped by the
    // stream, instead of gathering and augmenting rows.
    ImageStream* stream = nullptr;
};

class HostPipeline final : public StepPipeline {
public:
    // `trainX` (uint8 images or float features; or images in host memory, copied batch by
    // batch; or a stream's file rows) and `trainY` on the model's device.
    HostPipeline(Classifier& model, const Loss& loss, torch::Tensor trainX, torch::Tensor trainY, Normalization norm,
                 HostPipelineOptions options);
    ~HostPipeline() override;

    void beginEpoch(const std::vector<int64_t>& order, Rng& augmentRng, double lr,
                    const std::vector<double>& weights) override;
    void setLr(double lr) override;
    void setClassWeights(const std::vector<double>& weights) override;
    bool step(int64_t s) override;
    StepTotals drain() override;
    torch::Tensor evaluate(const torch::Tensor& x, const std::atomic<bool>* cancel) override;
    // Checkpoints hold the optimizer's own archive under "optimizer".
    void saveState(torch::serialize::OutputArchive& archive) const override;
    void loadState(torch::serialize::InputArchive& archive) override;
    std::string mode() const override { return "host"; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Lays a model's convolution weights out channels-last (the host pipeline's layout; the device
// pipeline lays out its own flat buffers).
void layOutChannelsLast(Classifier& model);

} // namespace imblab

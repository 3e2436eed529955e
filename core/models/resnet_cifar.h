// ResNet-32 for CIFAR (He et al. 2016, option A), as in the official LDAM-DRW code:
// conv1(3×3, 16)-bn1, three stages of 5 basic blocks (16, 32, 64 planes; stride 2 at the start
// of stages 2 and 3), shortcut = stride-2 subsampling + zero channel padding, global average
// pool, linear or normalized head. ≈0.46 M parameters.
#pragma once

#include "models/classifier.h"

#include <cstdint>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace imblab {

struct BasicBlockImpl : torch::nn::Module {
    BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    bool subsample = false;   // option-A shortcut: x[:, :, ::2, ::2] padded with planes/4 zeros each side
    int64_t padChannels = 0;
};
TORCH_MODULE(BasicBlock);

struct ResNetCifarImpl : Classifier {
    // blocksPerStage = 5 gives ResNet-32 (6n + 2 layers).
    ResNetCifarImpl(int64_t channels, int64_t classes, bool normalizedHead, int64_t blocksPerStage = 5);
    torch::Tensor forward(const torch::Tensor& x) override;
    torch::Tensor features(const torch::Tensor& x) override;

    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr};
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

} // namespace imblab

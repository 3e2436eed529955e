// A small CNN that trains Fashion-MNIST-LT at thousands of images per second on a laptop CPU:
// conv1(3×3, 16)-bn1-ReLU-pool, conv2(3×3, 32)-bn2-ReLU-pool, fc1(128)-ReLU, head.
#pragma once

#include "models/classifier.h"

#include <cstdint>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace imblab {

struct SmallCnnImpl : Classifier {
    SmallCnnImpl(int64_t channels, int64_t height, int64_t width, int64_t classes, bool normalizedHead);
    torch::Tensor forward(const torch::Tensor& x) override;
    torch::Tensor features(const torch::Tensor& x) override;

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Linear fc1{nullptr};
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

} // namespace imblab

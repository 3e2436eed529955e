// Multi-layer perceptron for 2-D toy data and flattened images: fc1 → ReLU → fc2 → ReLU → head.
#pragma once

#include "models/classifier.h"

#include <cstdint>
#include <torch/nn/modules/linear.h>

namespace imblab {

struct MlpImpl : Classifier {
    MlpImpl(int64_t inFeatures, int64_t hidden, int64_t classes, bool normalizedHead);
    torch::Tensor forward(const torch::Tensor& x) override;
    torch::Tensor features(const torch::Tensor& x) override;

    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

} // namespace imblab

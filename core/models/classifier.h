// The common interface of our networks: input batch → unscaled logits z (N×k).
#pragma once

#include <cstdint>
#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <memory>

namespace imblab {

struct Classifier : torch::nn::Module {
    virtual torch::Tensor forward(const torch::Tensor& x) = 0;
    // The penultimate features the head "linear" reads (forward = head(features(x))): decoupled
    // second stages and τ-normalisation work on them.
    virtual torch::Tensor features(const torch::Tensor& x) = 0;
};

// A linear head "linear" (weight [k, in], bias [k]) or a NormedLinear "linear" (weight [in, k]),
// registered under the name the PyTorch definitions use.
torch::nn::Module& registerHead(torch::nn::Module& owner, int64_t inFeatures, int64_t classes, bool normalized,
                                std::function<torch::Tensor(const torch::Tensor&)>& forwardHead);

// Kaiming-normal init of every Conv2d and Linear weight (the official _weights_init).
void kaimingInit(torch::nn::Module& module);

} // namespace imblab

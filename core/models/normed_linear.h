// Normalized (cosine) classifier head of the LDAM paper: z_j = ⟨x/‖x‖, W_j/‖W_j‖⟩.
#pragma once

#include <cstdint>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace imblab {

// Weight shape is [in_features, classes], the official PyTorch code's convention, so exported
// state dicts load into its NormedLinear unchanged. Init: uniform(−1, 1), each column renormed
// to norm 1 (official: uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)).
struct NormedLinearImpl : torch::nn::Module {
    NormedLinearImpl(int64_t inFeatures, int64_t classes);
    torch::Tensor forward(const torch::Tensor& x);

    torch::Tensor weight;
};
TORCH_MODULE(NormedLinear);

} // namespace imblab

// The MaxNorm projection; see max_norm.h.
#include "training/max_norm.h"

#include <torch/torch.h>

namespace imblab {

torch::Tensor rowNormScales(const torch::Tensor& weight, double radius) {
    torch::NoGradGuard noGrad;
    const auto norms = weight.norm(2, 1, /*keepdim=*/true);
    return torch::where(norms > radius, radius / norms.clamp_min(1e-30), torch::ones_like(norms));
}

int64_t projectRowNorms(torch::Tensor& weight, double radius) {
    torch::NoGradGuard noGrad;
    const auto outside = weight.norm(2, 1, /*keepdim=*/true) > radius;
    weight.mul_(rowNormScales(weight, radius));
    return outside.sum().item<int64_t>();
}

torch::Tensor linearHeadWeight(torch::nn::Module& model) {
    for (const auto& child : model.named_children())
        if (child.key() == "linear") {
            if (!dynamic_cast<torch::nn::LinearImpl*>(child.value().get())) return {};
            return child.value()->named_parameters(false)["weight"];
        }
    return {};
}

} // namespace imblab

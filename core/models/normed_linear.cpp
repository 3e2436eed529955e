// The cosine head; logits lie in [−1, 1] and the LDAM loss scales them by s.
#include "models/normed_linear.h"

#include <torch/nn/functional/normalization.h>

namespace imblab {

namespace F = torch::nn::functional;

NormedLinearImpl::NormedLinearImpl(int64_t inFeatures, int64_t classes) {
    torch::NoGradGuard noGrad;
    torch::Tensor w = torch::empty({inFeatures, classes}).uniform_(-1, 1);
    w = w / w.norm(2, {0}, /*keepdim=*/true).clamp_min(1e-12);
    weight = register_parameter("weight", w);
}

torch::Tensor NormedLinearImpl::forward(const torch::Tensor& x) {
    return F::normalize(x, F::NormalizeFuncOptions().dim(1)).mm(F::normalize(weight, F::NormalizeFuncOptions().dim(0)));
}

} // namespace imblab

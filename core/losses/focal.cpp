// Focal loss (Lin et al. 2017) in the form of the LDAM-DRW code's focal_loss().
#include "losses/focal.h"

#include <torch/torch.h>

namespace imblab {

torch::Tensor FocalLoss::operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const {
    const auto ce = perExampleCrossEntropy(z, y, w);
    const auto p = torch::exp(-ce);
    return (torch::pow(1 - p, gamma_) * ce).mean();
}

} // namespace imblab

// SAM's perturbation and the BatchNorm freeze of its second pass; see sharpness.h.
#include "training/sharpness.h"

#include <torch/torch.h>

#include <cmath>

namespace imblab {

SharpnessPerturbation::SharpnessPerturbation(const std::vector<torch::Tensor>& params,
                                             const std::vector<torch::Tensor>& grads, double rho) {
    torch::NoGradGuard noGrad;
    double squares = 0;
    std::vector<torch::Tensor> used;
    for (size_t i = 0; i < params.size() && i < grads.size(); ++i) {
        if (!grads[i].defined()) continue;
        squares += grads[i].to(torch::kFloat64).pow(2).sum().item<double>();
        params_.push_back(params[i]);
        used.push_back(grads[i]);
    }
    const double norm = std::sqrt(squares);
    const double scale = norm > 0 ? rho / (norm + 1e-12) : 0.0;  // the official code's 1e-12
    for (size_t i = 0; i < params_.size(); ++i) {
        auto e = used[i] * scale;
        params_[i].add_(e);
        epsilon_.push_back(e);
    }
}

void SharpnessPerturbation::restore() {
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < params_.size(); ++i) params_[i].sub_(epsilon_[i]);
    params_.clear();
}

struct BatchNormStatisticsFreeze::Saved {
    torch::nn::BatchNorm2dImpl* bn;
    c10::optional<double> momentum;
    torch::Tensor batchesTracked;
};

BatchNormStatisticsFreeze::BatchNormStatisticsFreeze(torch::nn::Module& model) {
    for (const auto& m : model.modules(/*include_self=*/false))
        if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get()); bn && bn->options.track_running_stats()) {
            saved_.push_back({bn, bn->options.momentum(), bn->num_batches_tracked.clone()});
            bn->options.momentum(0.0);  // running = (1 − 0)·running + 0·batch
        }
}

BatchNormStatisticsFreeze::~BatchNormStatisticsFreeze() {
    torch::NoGradGuard noGrad;
    for (auto& s : saved_) {
        s.bn->options.momentum(s.momentum);
        s.bn->num_batches_tracked.copy_(s.batchesTracked);
    }
}

} // namespace imblab

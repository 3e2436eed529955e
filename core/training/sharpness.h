// Sharpness-aware minimisation (Foret et al., ICLR 2021): a step's gradient is taken at the
// worst nearby weights w + ε, ε = ρ·g/‖g‖₂ with g the gradient at w and one L2 norm over every
// parameter; then the weights go back to w and the optimizer applies that second gradient (with
// its momentum and weight decay, as the official SAM wraps SGD).
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <vector>

namespace imblab {

class SharpnessPerturbation {
public:
    // Moves params[i] by ε_i = ρ·grads[i]/‖grads‖₂ (undefined gradients: not moved). A zero
    // gradient gives ε = 0.
    SharpnessPerturbation(const std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& grads, double rho);
    // Takes the parameters back to w (the gradients are left as they are).
    void restore();
    const std::vector<torch::Tensor>& epsilon() const { return epsilon_; }

private:
    std::vector<torch::Tensor> params_, epsilon_;
};

// While alive, the model's BatchNorm layers normalise with their batch's statistics as usual but
// do not update their running statistics: SAM's second forward pass sees the same batch again
// and must not count it twice (the official SAM example's disable_running_stats).
class BatchNormStatisticsFreeze {
public:
    explicit BatchNormStatisticsFreeze(torch::nn::Module& model);
    ~BatchNormStatisticsFreeze();
    BatchNormStatisticsFreeze(const BatchNormStatisticsFreeze&) = delete;
    BatchNormStatisticsFreeze& operator=(const BatchNormStatisticsFreeze&) = delete;

private:
    struct Saved;
    std::vector<Saved> saved_;
};

} // namespace imblab

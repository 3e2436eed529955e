// The loss interface: unscaled logits z (N×k), labels y (N), optional per-class weights w (k;
// an undefined tensor means unweighted) → scalar loss.
#pragma once

#include <torch/types.h>

#include <vector>

namespace imblab {

class Loss {
public:
    virtual ~Loss() = default;
    virtual torch::Tensor operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const = 0;
    // Per-class margins Δ_j the loss enforces (LDAM family); empty otherwise.
    virtual std::vector<double> margins() const { return {}; }
};

// Cross-entropy with optional class weights, mean reduction as PyTorch's F.cross_entropy:
// Σ_i w_{y_i}·ℓ_i / Σ_i w_{y_i} when weighted, the plain mean otherwise.
torch::Tensor weightedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w);

// Per-example cross-entropy w_{y_i}·ℓ_i (reduction='none').
torch::Tensor perExampleCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w);

} // namespace imblab

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
    // The denominator of the batch mean this loss takes: Σ_i w_{y_i} when weighted (as PyTorch's
    // F.cross_entropy), the batch size otherwise. A data-parallel step scales each rank's loss by
    // its own over the global batch's, so that the summed gradients are the global batch's.
    virtual double batchDenominator(const torch::Tensor& y, const torch::Tensor& w) const;
};

// A per-class constant (margins, logit scales or offsets) kept on the device and in the dtype of
// the logits it meets: the first call copies it there, later ones reuse it, so a training step —
// and a captured CUDA graph — copies nothing from the host.
class ClassConstant {
public:
    explicit ClassConstant(std::vector<double> values) : values_(std::move(values)) {}
    const torch::Tensor& like(const torch::Tensor& z) const;
    const std::vector<double>& values() const { return values_; }

private:
    std::vector<double> values_;
    mutable torch::Tensor cached_;
};

// Cross-entropy with optional class weights, mean reduction as PyTorch's F.cross_entropy:
// Σ_i w_{y_i}·ℓ_i / Σ_i w_{y_i} when weighted, the plain mean otherwise.
torch::Tensor weightedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w);

// Per-example cross-entropy w_{y_i}·ℓ_i (reduction='none').
torch::Tensor perExampleCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w);

} // namespace imblab

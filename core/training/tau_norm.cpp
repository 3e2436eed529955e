// τ-normalisation; see tau_norm.h.
#include "training/tau_norm.h"

#include "models/classifier.h"
#include "training/metrics.h"

#include <torch/torch.h>

namespace imblab {

torch::Tensor tauNormalizedRows(const torch::Tensor& weight, double tau) {
    const auto norms = weight.norm(2, 1, /*keepdim=*/true).clamp_min(1e-12);
    return weight / norms.pow(tau);
}

std::vector<double> tauGrid() {
    std::vector<double> taus;
    for (int i = 0; i <= 20; ++i) taus.push_back(i / 10.0);
    return taus;
}

std::vector<double> tauNormBalancedErrors(const torch::Tensor& features, const torch::Tensor& weight,
                                          const std::vector<int64_t>& labels, const std::vector<double>& taus) {
    torch::NoGradGuard noGrad;
    const auto f = features.to(torch::kCPU, torch::kFloat32);
    const auto w = weight.detach().to(torch::kCPU, torch::kFloat32);
    const int k = int(w.size(0));
    const std::vector<bool> all(size_t(k), true);
    std::vector<double> errors;
    for (const double tau : taus) {
        const auto pred = f.matmul(tauNormalizedRows(w, tau).t()).argmax(1).contiguous();
        const int64_t* p = pred.data_ptr<int64_t>();
        errors.push_back(maskedMean(perClassError(labels, {p, p + pred.numel()}, k), all));
    }
    return errors;
}

torch::Tensor featuresOf(Classifier& model, const torch::Tensor& rows, int64_t batch, const Normalization* norm) {
    torch::NoGradGuard noGrad;
    model.eval();
    std::vector<torch::Tensor> parts;
    const torch::Device device = model.parameters().front().device();  // streamed rows are in host memory
    for (int64_t start = 0; start < rows.size(0); start += batch) {
        auto x = rows.slice(0, start, std::min(rows.size(0), start + batch)).to(device, device.is_cuda());
        if (norm) x = normalizeBatch(x, *norm);
        parts.push_back(model.features(x).to(torch::kCPU, torch::kFloat32));
    }
    model.train();
    return parts.empty() ? torch::Tensor() : torch::cat(parts);
}

} // namespace imblab

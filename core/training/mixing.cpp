// Mixup and CutMix draws; see mixing.h.
#include "training/mixing.h"

#include "errors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imblab {

namespace {

// Gamma(α, 1) by Marsaglia and Tsang (2000); α < 1 through Gamma(α + 1)·U^(1/α).
double drawGamma(Rng& rng, double alpha) {
    if (alpha < 1) {
        double u = rng.uniform();
        while (u <= 0) u = rng.uniform();
        return drawGamma(rng, alpha + 1) * std::pow(u, 1 / alpha);
    }
    const double d = alpha - 1.0 / 3.0, c = 1 / std::sqrt(9 * d);
    for (;;) {
        double x, v;
        do {
            x = rng.normal();
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const double u = rng.uniform();
        if (u < 1 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
    }
}

std::vector<int64_t> permutation(Rng& rng, int64_t batch) {
    std::vector<int64_t> p(static_cast<size_t>(batch));
    std::iota(p.begin(), p.end(), int64_t(0));
    rng.shuffle(p);
    return p;
}

void requireAlpha(double alpha, const char* what) {
    if (!(alpha > 0 && std::isfinite(alpha)))
        throw TrainingError(std::string(what) + " needs α > 0, got " + std::to_string(alpha));
}

} // namespace

double drawBeta(Rng& rng, double alpha) {
    requireAlpha(alpha, "Beta(α, α)");
    const double a = drawGamma(rng, alpha), b = drawGamma(rng, alpha);
    return a + b > 0 ? a / (a + b) : 0.5;
}

BatchMix drawMixup(Rng& rng, int64_t batch, double alpha) {
    BatchMix m;
    m.lambda = drawBeta(rng, alpha);
    m.partner = permutation(rng, batch);
    return m;
}

BatchMix drawCutMix(Rng& rng, int64_t batch, int64_t height, int64_t width, double alpha) {
    BatchMix m;
    const double lambda = drawBeta(rng, alpha);
    m.partner = permutation(rng, batch);
    const double ratio = std::sqrt(1 - lambda);
    const auto cutH = int64_t(double(height) * ratio), cutW = int64_t(double(width) * ratio);
    const auto cy = int64_t(rng.below(uint64_t(height))), cx = int64_t(rng.below(uint64_t(width)));
    const int64_t y0 = std::clamp<int64_t>(cy - cutH / 2, 0, height), y1 = std::clamp<int64_t>(cy + cutH / 2, 0, height);
    const int64_t x0 = std::clamp<int64_t>(cx - cutW / 2, 0, width), x1 = std::clamp<int64_t>(cx + cutW / 2, 0, width);
    m.cut = true;
    m.top = y0;
    m.left = x0;
    m.height = y1 - y0;
    m.width = x1 - x0;
    m.lambda = 1 - double(m.height * m.width) / double(height * width);
    return m;
}

torch::Tensor applyMix(const torch::Tensor& x, const BatchMix& mix) {
    if (int64_t(mix.partner.size()) != x.size(0)) throw TrainingError("mix partners do not match the batch");
    const auto idx = torch::tensor(mix.partner, torch::kInt64).to(x.device());
    const auto other = x.index_select(0, idx);
    if (!mix.cut) return x * mix.lambda + other * (1 - mix.lambda);
    if (x.dim() != 4) throw TrainingError("CutMix needs images [B, C, H, W]");
    auto out = x.clone();
    using torch::indexing::Slice;
    const auto rows = Slice(mix.top, mix.top + mix.height), cols = Slice(mix.left, mix.left + mix.width);
    out.index_put_({Slice(), Slice(), rows, cols}, other.index({Slice(), Slice(), rows, cols}));
    return out;
}

torch::Tensor partnerLabels(const torch::Tensor& y, const BatchMix& mix) {
    return y.index_select(0, torch::tensor(mix.partner, torch::kInt64).to(y.device()));
}

} // namespace imblab

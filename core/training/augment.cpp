// Crop and flip by index gathering; see augment.h.
#include "training/augment.h"

#include <torch/torch.h>

namespace imblab {

Normalization Normalization::fromMeanStd(const std::vector<double>& mean, const std::vector<double>& std,
                                         const torch::Device& device) {
    std::vector<float> scale, shift;
    for (size_t c = 0; c < mean.size(); ++c) {
        scale.push_back(float(1.0 / (255.0 * std[c])));
        shift.push_back(float(-mean[c] / std[c]));
    }
    const int64_t C = int64_t(mean.size());
    return {torch::tensor(scale).view({1, C, 1, 1}).to(device), torch::tensor(shift).view({1, C, 1, 1}).to(device)};
}

torch::Tensor normalizeBatch(const torch::Tensor& images, const Normalization& norm) {
    // One float tensor, scaled and shifted in place: a 224-px batch of 128 is 77 MB, and each
    // temporary of that size is memory mapped and faulted in anew.
    auto out = images.to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/true);
    return out.mul_(norm.scale).add_(norm.shift);
}

torch::Tensor cropFlip(const torch::Tensor& images, int pad, const torch::Tensor& dy, const torch::Tensor& dx,
                       const torch::Tensor& flips) {
    namespace F = torch::nn::functional;
    const int64_t B = images.size(0), C = images.size(1), H = images.size(2), W = images.size(3);
    const auto padded = F::pad(images, F::PadFuncOptions({pad, pad, pad, pad}));  // zeros
    const auto longOpts = torch::TensorOptions().dtype(torch::kInt64).device(images.device());
    const auto ar = torch::arange(H, longOpts);
    const auto ac = torch::arange(W, longOpts);
    const auto flipT = flips.view({B, 1});
    const auto rows = dy.view({B, 1}) + ar.view({1, H});
    // A flipped example reads its columns right to left.
    const auto colsBase = flipT * (W - 1 - ac.view({1, W})) + (1 - flipT) * ac.view({1, W});
    const auto cols = dx.view({B, 1}) + colsBase;
    const auto rowIdx = rows.view({B, 1, H, 1}).expand({B, C, H, W + 2 * pad});
    const auto byRow = padded.gather(2, rowIdx);
    const auto colIdx = cols.view({B, 1, 1, W}).expand({B, C, H, W});
    return byRow.gather(3, colIdx);
}

torch::Tensor cropFlip(const torch::Tensor& images, int pad, const std::vector<int64_t>& dy,
                       const std::vector<int64_t>& dx, const std::vector<bool>& flips) {
    const auto dev = images.device();
    const std::vector<int64_t> flipped(flips.begin(), flips.end());
    return cropFlip(images, pad, torch::tensor(dy).to(dev), torch::tensor(dx).to(dev), torch::tensor(flipped).to(dev));
}

torch::Tensor augmentBatch(const torch::Tensor& images, int pad, bool flip, Rng& rng, const Normalization& norm) {
    return augmentBatchSlice(images, images.size(0), 0, pad, flip, rng, norm);
}

torch::Tensor augmentBatchSlice(const torch::Tensor& images, int64_t batchSize, int64_t offset, int pad, bool flip,
                                Rng& rng, const Normalization& norm) {
    const int64_t n = images.size(0);
    std::vector<int64_t> dy(static_cast<size_t>(n)), dx(static_cast<size_t>(n));
    std::vector<bool> flips(size_t(n), false);
    for (int64_t i = 0; i < batchSize; ++i) {  // every draw of the batch, in order; keep this slice's
        const auto y = int64_t(rng.below(uint64_t(2 * pad + 1)));
        const auto x = int64_t(rng.below(uint64_t(2 * pad + 1)));
        const bool f = flip && rng.below(2) == 1;
        if (i < offset || i >= offset + n) continue;
        dy[size_t(i - offset)] = y;
        dx[size_t(i - offset)] = x;
        flips[size_t(i - offset)] = f;
    }
    return normalizeBatch(cropFlip(images, pad, dy, dx, flips), norm);
}

} // namespace imblab

// Batched tensor augmentation: random crop with zero padding and horizontal flip, then
// per-channel normalization — one gather per axis for the whole batch.
#pragma once

#include "util/rng.h"

#include <cstdint>
#include <torch/types.h>

#include <vector>

namespace imblab {

struct Normalization {
    torch::Tensor scale, shift;  // [1, C, 1, 1]: x_float = x_uint8 · scale + shift
    static Normalization fromMeanStd(const std::vector<double>& mean, const std::vector<double>& std,
                                     const torch::Device& device);
};

// Draws per-example crop offsets in [0, 2·pad] and flips (if flip) from rng, crops the
// zero-padded uint8 batch [B, C, H, W] back to H×W, flips, and normalizes.
torch::Tensor augmentBatch(const torch::Tensor& images, int pad, bool flip, Rng& rng, const Normalization& norm);
// One rank's part of a data-parallel batch: draws for all `batchSize` examples (so the RNG moves
// as in a single process) and applies those of rows [offset, offset + images.size(0)).
torch::Tensor augmentBatchSlice(const torch::Tensor& images, int64_t batchSize, int64_t offset, int pad, bool flip,
                                Rng& rng, const Normalization& norm);

// Offsets and flips given explicitly (tests): offsets are (dy, dx) into the padded image.
torch::Tensor cropFlip(const torch::Tensor& images, int pad, const std::vector<int64_t>& dy,
                       const std::vector<int64_t>& dx, const std::vector<bool>& flips);

// The same with the offsets and flips as int64 tensors [B] on the images' device: no host data,
// so it runs inside a captured CUDA graph.
torch::Tensor cropFlip(const torch::Tensor& images, int pad, const torch::Tensor& dy, const torch::Tensor& dx,
                       const torch::Tensor& flips);

torch::Tensor normalizeBatch(const torch::Tensor& images, const Normalization& norm);

} // namespace imblab

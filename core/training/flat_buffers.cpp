// Flat parameter buffers; see flat_buffers.h.
#include "training/flat_buffers.h"

#include "errors.h"

#include <torch/torch.h>

namespace imblab {

torch::Tensor flattenInMemoryOrder(const torch::Tensor& t, bool channelsLast) {
    if (channelsLast && t.dim() == 4) return t.permute({0, 2, 3, 1}).reshape({-1});
    return t.reshape({-1});
}

namespace {

// A view of `chunk` shaped like `like`, laid out channels-last for 4-D tensors when asked.
torch::Tensor viewLike(const torch::Tensor& chunk, const torch::Tensor& like, bool channelsLast) {
    if (channelsLast && like.dim() == 4)
        return chunk.view({like.size(0), like.size(2), like.size(3), like.size(1)}).permute({0, 3, 1, 2});
    return chunk.view(like.sizes());
}

} // namespace

torch::Tensor makeFlatBuffer(std::vector<torch::Tensor>& tensors, bool channelsLast, const torch::Device& device) {
    int64_t total = 0;
    for (const auto& t : tensors) {
        if (t.scalar_type() != torch::kFloat32)
            throw TrainingError("the device pipeline needs float32 parameters and buffers");
        total += t.numel();
    }
    auto flat = torch::empty({total}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (auto& t : tensors) {
        const auto view = viewLike(flat.narrow(0, offset, t.numel()), t, channelsLast);
        view.copy_(t.detach());
        t.set_data(view);
        offset += t.numel();
    }
    return flat;
}

} // namespace imblab

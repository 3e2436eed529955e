// Split tensors; see split_tensor.h.
#include "training/split_tensor.h"

#include <torch/torch.h>

namespace imblab {

torch::Tensor splitTensor(const Dataset& ds, const DatasetSplit& split, const ModelInput& input, const torch::Device& device) {
    if (ds.isImage()) {
        auto t = torch::from_blob(const_cast<uint8_t*>(split.images.data()), {split.size(), ds.channels, ds.height, ds.width},
                                  torch::kUInt8)
                     .clone();
        const int64_t ph = input.height - ds.height, pw = input.width - ds.width;
        if (ph > 0 || pw > 0) t = torch::constant_pad_nd(t, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0);
        return t.to(device);
    }
    return torch::from_blob(const_cast<float*>(split.features.data()), {split.size(), ds.featureDim}, torch::kFloat32)
        .clone()
        .to(device);
}

} // namespace imblab
